import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "@/lib/db/client";
import { openScratchDatabase, type ScratchDatabase } from "@/lib/db/scratch";
import { documents } from "@/lib/db/schema";
import { deleteDocument, renameDocument } from "@/lib/documents/library";
import { keywordSearch } from "@/lib/retrieve/keyword";
import { engines, freshDatabase, migrationsDir } from "../support/databases";
import { exhaustiveBm25 } from "../support/exhaustive-bm25";
import { keywordBlockProblems } from "../support/keyword-blocks";

/**
 * The triggers keep keyword_blocks equal to the chunks' own text vectors
 * through every way chunks change: appends that fill a block and start new
 * ones, chunks older than a term's last block (merged into the block whose
 * range they fall in, or below the first), deletes that empty blocks, and
 * renames that re-index chunks in place.
 */
const WORDS = ["gravel", "copper", "harbour", "lantern", "meadow", "quartz", "saddle", "thistle", "walnut", "zephyr"];

/** Chunk text: "archive" everywhere, a few words that vary with the chunk id, some repeated. */
const textSql = (id: ReturnType<typeof sql>) => sql`'archive ' || (${sql.raw(`array['${WORDS.join("','")}']`)})[1 + ${id} % 10] || ' '
  || (${sql.raw(`array['${WORDS.join("','")}']`)})[1 + (${id} / 7) % 10] || repeat(' ledger', 1 + ${id} % 3)`;

describe.each(engines)("keyword blocks stay equal to the chunks on %s", (engine) => {
  let database: ScratchDatabase;
  let documentId: number;
  let other: number;

  const insertChunks = async (document: number, ids: [number, number]) => {
    await database.db.execute(sql`
      insert into chunks (id, document_id, ordinal, content, token_count, search_vector) overriding system value
      select n, ${document}::integer, n, ${textSql(sql`n`)}, 10, to_tsvector('english', 'Field notes ' || ${textSql(sql`n`)})
      from generate_series(${ids[0]}::integer, ${ids[1]}::integer) n`);
  };
  const blockSizes = async (term: string) =>
    (await queryRows<{ postings: number }>(database.db, sql`select postings from keyword_blocks where term = ${term} order by first_chunk_id`)).map((b) => Number(b.postings));
  const expectExact = async () => {
    expect(await keywordBlockProblems(database.db)).toEqual([]);
    for (const query of ["archive ledger", "quartz walnut ledger", "field notes zephyr", "copper"]) {
      for (const limit of [3, 40]) {
        const fast = await keywordSearch(database.db, query, { limit });
        const slow = await exhaustiveBm25(database.db, query, { limit });
        expect(fast.map((hit) => [hit.chunkId, hit.score]), query).toEqual(slow.map((hit) => [hit.chunkId, hit.score]));
      }
    }
  };

  beforeAll(async () => {
    database = await freshDatabase(engine);
    const made = await database.db
      .insert(documents)
      .values([
        { title: "Field notes", contentHash: "blocks-1", status: "ready", format: "text" },
        { title: "Field notes", contentHash: "blocks-2", status: "ready", format: "text" },
      ])
      .returning({ id: documents.id });
    [documentId, other] = made.map((d) => d.id) as [number, number];
  });
  afterAll(() => database.close());

  it("fills blocks of 128 postings in chunk order as chunks arrive", async () => {
    await insertChunks(documentId, [1000, 1299]);
    expect(await blockSizes("archiv")).toEqual([128, 128, 44]);
    // One more chunk at a time, as small uploads add them: the last block fills first.
    for (let id = 1300; id < 1390; id++) await insertChunks(documentId, [id, id]);
    expect(await blockSizes("archiv")).toEqual([128, 128, 128, 6]);
    await expectExact();
  });

  it("merges chunks older than a term's last block into the block their id falls in", async () => {
    // Below every block, inside the second block's range, and in the gap a delete leaves.
    await insertChunks(other, [500, 509]);
    await database.db.execute(sql`delete from chunks where id between 1130 and 1160`);
    await insertChunks(other, [1140, 1150]);
    const archive = await blockSizes("archiv");
    expect(archive.reduce((a, b) => a + b, 0)).toBe(390 + 10 - 31 + 11);
    expect(archive[0]).toBe(138);
    await expectExact();
  });

  it("re-indexes a renamed document's chunks in place", async () => {
    await renameDocument(database.db, other, "Quartz almanac");
    const [almanac] = await queryRows<{ chunks: number }>(database.db, sql`select chunks from keyword_terms where term = 'almanac'`);
    expect(Number(almanac!.chunks)).toBe(21);
    await expectExact();
  });

  it("rewrites the blocks a delete touches and drops the ones it empties", async () => {
    await deleteDocument(database.db, other);
    expect(await queryRows(database.db, sql`select 1 from keyword_blocks where term = 'almanac'`)).toEqual([]);
    await expectExact();
    await deleteDocument(database.db, documentId);
    expect(await queryRows(database.db, sql`select 1 from keyword_blocks`)).toEqual([]);
    expect(await keywordSearch(database.db, "archive", { limit: 5 })).toEqual([]);
  });
});

describe.each(engines)("a library indexed before keyword blocks, migrated on %s", (engine) => {
  let earlier: string;

  beforeAll(() => {
    // The migrations as they stood before 0017_keyword_blocks.
    earlier = mkdtempSync(join(tmpdir(), "pgrag-migrations-"));
    const journal = JSON.parse(readFileSync(join(migrationsDir, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
    journal.entries = journal.entries.filter((entry) => entry.idx < 17);
    mkdirSync(join(earlier, "meta"));
    writeFileSync(join(earlier, "meta/_journal.json"), JSON.stringify(journal));
    for (const entry of journal.entries) cpSync(join(migrationsDir, `${entry.tag}.sql`), join(earlier, `${entry.tag}.sql`));
  });
  afterAll(() => rmSync(earlier, { recursive: true, force: true }));

  it("moves every posting into blocks of 128 and searches them exactly", async () => {
    const database = await openScratchDatabase({ engine, serverUrl: process.env.TEST_DATABASE_URL, migrationsDir: earlier, label: "test", onDisk: true });
    try {
      const [doc] = await database.db
        .insert(documents)
        .values({ title: "Field notes", contentHash: "before-blocks", status: "ready", format: "text" })
        .returning({ id: documents.id });
      await database.db.execute(sql`
        insert into chunks (document_id, ordinal, content, token_count, search_vector)
        select ${doc!.id}::integer, n, ${textSql(sql`n`)}, 10, to_tsvector('english', 'Field notes ' || ${textSql(sql`n`)})
        from generate_series(1, 300) n`);
      const [before] = await queryRows<{ postings: number }>(database.db, sql`select count(*)::int as postings from keyword_postings`);
      await database.detach();

      const migrated = await openDatabase(
        engine === "postgres" ? { url: database.location, pgliteDir: "unused", migrationsDir } : { pgliteDir: database.location, migrationsDir },
      );
      try {
        expect(await keywordBlockProblems(migrated.db)).toEqual([]);
        const [after] = await queryRows<{ postings: number }>(migrated.db, sql`select sum(postings)::int as postings from keyword_blocks`);
        expect(after!.postings).toBe(before!.postings);
        const archive = await queryRows<{ postings: number }>(migrated.db, sql`select postings from keyword_blocks where term = 'archiv' order by first_chunk_id`);
        expect(archive.map((block) => Number(block.postings))).toEqual([128, 128, 44]);
        const fast = await keywordSearch(migrated.db, "quartz ledger", { limit: 10 });
        expect(fast.map((hit) => [hit.chunkId, hit.score])).toEqual(
          (await exhaustiveBm25(migrated.db, "quartz ledger", { limit: 10 })).map((hit) => [hit.chunkId, hit.score]),
        );
        expect(fast).toHaveLength(10);
      } finally {
        await migrated.close();
      }
    } finally {
      await database.close();
    }
  });
});
