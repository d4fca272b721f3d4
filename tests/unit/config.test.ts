import { describe, expect, it } from "vitest";
import { ConfigError, hnswGraph, parseConfig } from "@/lib/config";

describe("parseConfig", () => {
  it("needs nothing to run on the embedded defaults", () => {
    const config = parseConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PGLITE_DIR).toBe(".data/pglite");
    expect(config.EMBEDDING_PROVIDER).toBe("local");
    expect(config.EMBEDDING_BASE_URL).toBe("http://127.0.0.1:1234/v1");
    expect(config.CHUNK_SIZE).toBe(200);
    expect(config.CHUNK_OVERLAP).toBe(40);
  });

  it("reads numbers and treats empty variables as unset", () => {
    const config = parseConfig({ CHUNK_SIZE: "120", EMBEDDING_DIMENSIONS: "", DATABASE_URL: "" });
    expect(config.CHUNK_SIZE).toBe(120);
    expect(config.EMBEDDING_DIMENSIONS).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("names the variable, the bad value and the fix in one sentence", () => {
    expect(() => parseConfig({ EMBEDDING_PROVIDER: "lmstudio" })).toThrow(ConfigError);
    expect(() => parseConfig({ EMBEDDING_PROVIDER: "lmstudio" })).toThrow(
      /^Invalid setting EMBEDDING_PROVIDER \(got "lmstudio"\): .*"local"\|"onnx"\|"openai".* Fix it in \.env/,
    );
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL.*postgres:\/\//);
    expect(() => parseConfig({ CHUNK_SIZE: "-5" })).toThrow(/CHUNK_SIZE \(got "-5"\)/);
    expect(() => parseConfig({ EMBEDDING_BASE_URL: "not a url" })).toThrow(/EMBEDDING_BASE_URL/);
    expect(() => parseConfig({ EMBEDDING_WEIGHTS: "int4" })).toThrow(/EMBEDDING_WEIGHTS \(got "int4"\): .*"float"\|"int8"/);
    expect(parseConfig({}).VECTOR_INDEX_TYPE).toBe("vector");
    expect(() => parseConfig({ VECTOR_INDEX_TYPE: "float16" })).toThrow(/VECTOR_INDEX_TYPE \(got "float16"\): .*"vector"\|"halfvec"/);
    expect(hnswGraph(parseConfig({}))).toEqual({ m: 16, efConstruction: 128 });
    expect(hnswGraph(parseConfig({ HNSW_M: "32" }))).toEqual({ m: 32, efConstruction: 128 });
    expect(() => parseConfig({ HNSW_M: "80" })).toThrow(/HNSW_EF_CONSTRUCTION.*at least twice HNSW_M/);
    expect(() => parseConfig({ HNSW_M: "1" })).toThrow(/HNSW_M \(got "1"\)/);
  });

  it("reads replicas as a comma-separated list, only beside a PostgreSQL primary", () => {
    const config = parseConfig({
      DATABASE_URL: "postgres://db/rag",
      DATABASE_READ_URL: " postgres://replica-1/rag , postgresql://replica-2/rag ",
    });
    expect(config.DATABASE_READ_URL).toEqual(["postgres://replica-1/rag", "postgresql://replica-2/rag"]);
    expect(parseConfig({ DATABASE_READ_URL: "" }).DATABASE_READ_URL).toBeUndefined();
    expect(() => parseConfig({ DATABASE_READ_URL: "postgres://replica/rag" })).toThrow(/DATABASE_READ_URL.*needs DATABASE_URL/);
    expect(() => parseConfig({ DATABASE_URL: "postgres://db/rag", DATABASE_READ_URL: "postgres://a/rag,mysql://b" })).toThrow(
      /DATABASE_READ_URL.*postgres:\/\//,
    );
  });

  it("refuses an overlap that is not smaller than the chunk", () => {
    expect(() => parseConfig({ CHUNK_SIZE: "100", CHUNK_OVERLAP: "100" })).toThrow(
      /CHUNK_OVERLAP \(got "100"\): must be smaller than CHUNK_SIZE/,
    );
  });
});
