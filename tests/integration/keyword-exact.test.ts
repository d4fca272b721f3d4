import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { chunks, documents, type DocumentStatus } from "@/lib/db/schema";
import { keywordSearch } from "@/lib/retrieve/keyword";
import { VACUUMING_PAGE } from "../support/answers";
import { engines, freshDatabase } from "../support/databases";
import { exhaustiveBm25 } from "../support/exhaustive-bm25";

/**
 * Keyword search scores postings unpacked from blocks in the app and checks
 * filters on the best of them; it must return exactly what scoring every
 * posting in SQL, straight from the chunks' text vectors, returns. The text is a real manual page
 * (PostgreSQL's "Routine Vacuuming", as Debian ships it), cut into pieces that
 * repeat across documents, so equal scores tie and common words (vacuum,
 * table, rows) hold postings in most chunks while others are rare.
 */
const pageText = VACUUMING_PAGE.replace(/<[^>]+>/g, " ").replace(/&[a-z]+;/g, " ").replace(/\s+/g, " ").trim();
const words = pageText.split(" ");
const pieces = Array.from({ length: Math.ceil(words.length / 25) }, (_, i) => words.slice(i * 25, i * 25 + 35).join(" "));

/** A seeded generator, so a failure names a query that fails again. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe.each(engines)("keyword search returns the exhaustive top k on %s", (engine) => {
  let database: DatabaseHandle;
  const documentIds: number[] = [];
  const next = random(16);

  beforeAll(async () => {
    database = await freshDatabase(engine);
    // 30 documents of 12 pieces each, the page read from a different place in
    // each; two are still being embedded, and their chunks must not be found.
    for (let d = 0; d < 30; d++) {
      const status: DocumentStatus = d === 4 || d === 17 ? "embedding" : "ready";
      const [doc] = await database.db
        .insert(documents)
        .values({ title: `Maintenance notes ${d}`, contentHash: `exact-${d}`, status, format: "html" })
        .returning({ id: documents.id });
      if (status === "ready") documentIds.push(doc!.id);
      await database.db.insert(chunks).values(
        Array.from({ length: 12 }, (_, i) => {
          const content = pieces[(d * 7 + i * 3) % pieces.length]!;
          return { documentId: doc!.id, ordinal: i, content, tokenCount: 40, searchVector: sql`to_tsvector('english', ${`Maintenance notes ${d} ${content}`})` };
        }),
      );
    }
  });
  afterAll(() => database.close());

  const compare = async (query: string, limit: number, filter?: number[]) => {
    const fast = await keywordSearch(database.db, query, { limit, filters: filter ? { documentIds: filter } : undefined });
    const slow = await exhaustiveBm25(database.db, query, { limit, documentIds: filter });
    expect(fast.map((hit) => hit.chunkId), `${query} (top ${limit})`).toEqual(slow.map((hit) => hit.chunkId));
    fast.forEach((hit, i) => expect(hit.score, `${query}: score ${i + 1}`).toBeCloseTo(slow[i]!.score, 9));
    return fast.length;
  };

  it("on sentences of the page itself", async () => {
    let found = 0;
    for (const sentence of pageText.split(/(?<=\.) /).filter((s) => s.split(" ").length > 5).slice(0, 12)) {
      for (const limit of [1, 10, 50]) found += await compare(sentence, limit);
    }
    expect(found).toBeGreaterThan(0);
  });

  it("on random queries mixing common and rare words, with and without a document filter", async () => {
    const vocabulary = [...new Set(words.map((w) => w.toLowerCase().replace(/[^a-z]/g, "")).filter((w) => w.length > 2))];
    expect(vocabulary.length).toBeGreaterThan(100);
    let found = 0;
    for (let q = 0; q < 30; q++) {
      const length = 1 + Math.floor(next() * 8);
      const query = Array.from({ length }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(" ");
      const limit = [1, 5, 10, 50][q % 4]!;
      found += await compare(query, limit);
      const some = documentIds.filter(() => next() < 0.2);
      await compare(query, limit, some.length > 0 ? some : [documentIds[0]!]);
    }
    expect(found).toBeGreaterThan(30);
  });
});
