import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/errors";
import { createOpenAIEmbedder } from "@/lib/providers/embedding/openai";
import { taskPrefixesFor } from "@/lib/providers/embedding/prefixes";
import { startOpenAIStandIn, vectorFor, type StandIn } from "../support/openai-standin";

let server: StandIn;

beforeAll(async () => {
  server = await startOpenAIStandIn({
    models: { "nomic-embed-text-v1.5": { dimensions: 768 }, "plain-embedder": { dimensions: 16 } },
    apiKey: "sk-test",
  });
});
afterAll(() => server.close());

const embedder = (overrides: Partial<Parameters<typeof createOpenAIEmbedder>[0]> = {}) =>
  createOpenAIEmbedder({
    baseURL: server.baseURL,
    apiKey: "sk-test",
    model: "plain-embedder",
    maxInputTokens: 512,
    batchSize: 4,
    ...overrides,
  });

describe("the OpenAI-compatible embedder", () => {
  it("sends documents in batches and returns vectors in input order", async () => {
    server.requests.length = 0;
    const texts = Array.from({ length: 10 }, (_, i) => `text ${i}`);
    const progress: number[] = [];
    const vectors = await embedder().embedDocuments(texts, (done) => progress.push(done));
    expect(server.requests.map((r) => r.body.input!.length)).toEqual([4, 4, 2]);
    expect(vectors).toEqual(texts.map((t) => vectorFor(t, 16)));
    expect(progress).toEqual([4, 8, 10]);
  });

  it("asks the server for the dimension when it is not configured", async () => {
    expect(await embedder().dimensions()).toBe(16);
    expect(await embedder({ model: "nomic-embed-text-v1.5" }).dimensions()).toBe(768);
  });

  it("adds nomic's task prefixes to documents and queries", async () => {
    server.requests.length = 0;
    const nomic = embedder({ model: "nomic-embed-text-v1.5" });
    await nomic.embedDocuments(["a passage"]);
    await nomic.embedQuery("a question");
    expect(server.requests.map((r) => r.body.input![0])).toEqual([
      "search_document: a passage",
      "search_query: a question",
    ]);
    expect(taskPrefixesFor("intfloat/e5-small-v2")).toEqual({ query: "query: ", document: "passage: " });
    expect(taskPrefixesFor("text-embedding-3-small")).toEqual({ query: "", document: "" });
  });

  it("refuses vectors whose length differs from EMBEDDING_DIMENSIONS", async () => {
    await expect(embedder({ dimensions: 384 }).embedQuery("x")).rejects.toThrow(
      /returned 16-dimensional vectors, but EMBEDDING_DIMENSIONS is 384\. Set EMBEDDING_DIMENSIONS=16/,
    );
  });

  it("names the model setting and the models the server has when the model is unknown", async () => {
    const error = await embedder({ model: "no-such-model" }).embedQuery("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("embedder_model_not_found");
    expect((error as Error).message).toMatch(/has no model "no-such-model" \(EMBEDDING_MODEL\)/);
    expect((error as Error).message).toMatch(/Models it has: nomic-embed-text-v1\.5, plain-embedder\./);
  });

  it("names the base URL setting when nothing listens there", async () => {
    const error = await embedder({ baseURL: "http://127.0.0.1:9/v1" }).embedQuery("x").catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe("embedder_unavailable");
    expect((error as Error).message).toMatch(/^The embedding server at http:\/\/127\.0\.0\.1:9\/v1 \(EMBEDDING_BASE_URL\) cannot be reached\./);
  });

  it("names the API key setting when the key is refused", async () => {
    const error = await embedder({ apiKey: "wrong" }).embedQuery("x").catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe("embedder_unauthorized");
    expect((error as Error).message).toMatch(/EMBEDDING_API_KEY/);
  });
});
