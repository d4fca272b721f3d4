import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withEmbeddingCache } from "@/lib/providers/embedding/cache";
import type { Embedder } from "@/lib/providers/embedding";

/** Counts what reaches the model; its vectors encode the text so a mix-up shows. */
function countingEmbedder() {
  const seen: string[] = [];
  const vector = (text: string, kind: number) => [text.length, kind, text.charCodeAt(0)];
  const embedder: Embedder = {
    provider: "test",
    model: "counting/v1",
    maxInputTokens: 256,
    reservedTokens: 2,
    settings: {},
    dimensions: async () => 3,
    embedDocuments: async (texts) => {
      seen.push(...texts);
      return texts.map((t) => vector(t, 1));
    },
    embedQuery: async (text) => {
      seen.push(`query:${text}`);
      return vector(text, 2);
    },
    close: async () => {},
  };
  return { embedder, seen };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const cacheDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "pgrag-cache-test-"));
  dirs.push(dir);
  return dir;
};

describe("embedding cache", () => {
  it("embeds each distinct text once, keeps order, and survives a restart", async () => {
    const dir = cacheDir();
    const first = countingEmbedder();
    const cached = await withEmbeddingCache(first.embedder, dir);
    expect(await cached.embedDocuments(["alpha", "beta", "alpha"])).toEqual([[5, 1, 97], [4, 1, 98], [5, 1, 97]]);
    expect(first.seen).toEqual(["alpha", "beta"]);
    expect(await cached.embedDocuments(["beta", "gamma"])).toEqual([[4, 1, 98], [5, 1, 103]]);
    expect(first.seen).toEqual(["alpha", "beta", "gamma"]);
    expect(cached.hits()).toBe(2);

    const second = countingEmbedder();
    const reopened = await withEmbeddingCache(second.embedder, dir);
    expect(await reopened.embedDocuments(["gamma", "alpha"])).toEqual([[5, 1, 103], [5, 1, 97]]);
    expect(second.seen).toEqual([]);
  });

  it("keeps queries apart from documents, since models may prefix them differently", async () => {
    const { embedder, seen } = countingEmbedder();
    const cached = await withEmbeddingCache(embedder, cacheDir());
    await cached.embedDocuments(["same"]);
    expect(await cached.embedQuery("same")).toEqual([4, 2, 115]);
    expect(await cached.embedQuery("same")).toEqual([4, 2, 115]);
    expect(seen).toEqual(["same", "query:same"]);
  });

  it("drops a record cut off by a crash mid-write and appends cleanly after it", async () => {
    const dir = cacheDir();
    await (await withEmbeddingCache(countingEmbedder().embedder, dir)).embedDocuments(["kept"]);
    appendFileSync(join(dir, readdirSync(dir)[0]!), Buffer.alloc(10, 7));
    const { embedder, seen } = countingEmbedder();
    const reopened = await withEmbeddingCache(embedder, dir);
    expect(await reopened.embedDocuments(["kept", "new"])).toEqual([[4, 1, 107], [3, 1, 110]]);
    expect(seen).toEqual(["new"]);

    const third = countingEmbedder();
    const again = await withEmbeddingCache(third.embedder, dir);
    expect(await again.embedDocuments(["new", "kept"])).toEqual([[3, 1, 110], [4, 1, 107]]);
    expect(third.seen).toEqual([]);
  });
});
