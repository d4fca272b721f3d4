import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { modelIdentity, type Embedder } from "./types";

const HASH_BYTES = 32;

/**
 * Wraps an embedder with an append-only file of vectors keyed by the SHA-256 of
 * (kind, text), one file per model and dimension. Evaluations and benchmarks
 * embed the same corpus again and again; with this, only the first run pays.
 * A run cut short keeps every vector it finished.
 */
export async function withEmbeddingCache(inner: Embedder, directory: string): Promise<Embedder & { hits: () => number }> {
  const dimensions = await inner.dimensions();
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${slug(`${inner.provider}-${inner.model}`)}-${dimensions}.bin`);
  const record = HASH_BYTES + dimensions * 4;
  const vectors = new Map<string, number[]>();
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    // A record cut off by a crash mid-write is dropped, so the next append starts on a record boundary.
    const whole = bytes.length - (bytes.length % record);
    if (whole < bytes.length) truncateSync(file, whole);
    for (let offset = 0; offset < whole; offset += record) {
      const key = bytes.subarray(offset, offset + HASH_BYTES).toString("hex");
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset + HASH_BYTES, bytes.byteOffset + offset + record));
      vectors.set(key, Array.from(values));
    }
  }
  let hits = 0;

  const cached = async (kind: "document" | "query", texts: string[], embed: (misses: string[]) => Promise<number[][]>) => {
    const keys = texts.map((text) => createHash("sha256").update(`${kind}\0${text}`).digest());
    const missing = [...new Map(keys.map((key, i) => [key.toString("hex"), texts[i]!])).entries()].filter(
      ([hex]) => !vectors.has(hex),
    );
    hits += texts.length - missing.length;
    if (missing.length > 0) {
      const embedded = await embed(missing.map(([, text]) => text));
      const out = Buffer.alloc(record * missing.length);
      missing.forEach(([hex], i) => {
        const vector = embedded[i]!;
        vectors.set(hex, vector);
        Buffer.from(hex, "hex").copy(out, i * record);
        Buffer.from(Float32Array.from(vector).buffer).copy(out, i * record + HASH_BYTES);
      });
      appendFileSync(file, out);
    }
    return keys.map((key) => vectors.get(key.toString("hex"))!);
  };

  return {
    ...modelIdentity(inner),
    dimensions: () => Promise.resolve(dimensions),
    embedDocuments: (texts, onProgress, options) =>
      cached("document", texts, (misses) => inner.embedDocuments(misses, onProgress, options)),
    embedQuery: async (text) => (await cached("query", [text], async ([miss]) => [await inner.embedQuery(miss!)]))[0]!,
    close: () => inner.close(),
    hits: () => hits,
  };
}

function slug(name: string): string {
  return name.replace(/[^a-zA-Z0-9.-]+/g, "_");
}
