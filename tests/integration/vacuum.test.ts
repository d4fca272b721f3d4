import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/lib/db/client";
import { chunks, documents } from "@/lib/db/schema";
import { autovacuum } from "@/lib/db/vacuum";
import { engines, freshDatabase } from "../support/databases";

describe.each(engines)("vacuuming and analyzing what autovacuum would, on %s", (engine) => {
  let database: DatabaseHandle;
  const documentIds: number[] = [];

  beforeAll(async () => {
    database = await freshDatabase(engine);
    for (let d = 0; d < 30; d++) {
      const [doc] = await database.db
        .insert(documents)
        .values({ title: `Notes ${d}`, contentHash: `vacuum-${d}`, status: "ready", format: "text" })
        .returning({ id: documents.id });
      documentIds.push(doc!.id);
      await database.db.insert(chunks).values(
        Array.from({ length: 100 }, (_, i) => {
          const content = `routine vacuuming reclaims storage occupied by dead tuples, chunk ${i} of notes ${d}`;
          return { documentId: doc!.id, ordinal: i, content, tokenCount: 12, searchVector: sql`to_tsvector('english', ${content})` };
        }),
      );
    }
  });
  afterAll(() => database.close());

  /** How many rows an index-only scan of the chunks' ids had to fetch from the table. */
  const heapFetches = async () => {
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      return queryRows<Record<string, string>>(tx, sql`explain (analyze, costs off) select id from chunks where id > 0`);
    });
    const lines = plan.map((row) => Object.values(row)[0]!);
    expect(lines.join("\n")).toContain("Index Only Scan");
    return Number(lines.find((line) => line.includes("Heap Fetches"))?.match(/Heap Fetches: (\d+)/)?.[1] ?? NaN);
  };

  it("vacuums the tables that grew, after which an index answers alone", async () => {
    expect(await heapFetches()).toBeGreaterThan(0);
    const vacuumed = await autovacuum(database.db);
    expect(vacuumed).toEqual(expect.arrayContaining(["chunks", "keyword_blocks", "keyword_terms"]));
    expect(await heapFetches()).toBe(0);
    expect(await autovacuum(database.db)).toEqual([]);
  });

  it("vacuums again once enough rows were deleted", async () => {
    await database.db.delete(documents).where(eq(documents.id, documentIds[0]!));
    expect(await autovacuum(database.db)).not.toContain("chunks");
    for (const id of documentIds.slice(1, 20)) await database.db.delete(documents).where(eq(documents.id, id));
    expect(await autovacuum(database.db)).toContain("chunks");
  });

  it("analyzes a table that changed too little to vacuum, so the planner knows what it holds", async () => {
    await database.db.insert(documents).values(
      Array.from({ length: 100 }, (_, i) => ({ title: `Memo ${i}`, contentHash: `memo-${i}`, status: "ready" as const, format: "text" as const })),
    );
    const touched = await autovacuum(database.db);
    expect(touched).toContain("documents");
    expect(touched).not.toContain("chunks");
    const stats = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from pg_stats where tablename = 'documents' and attname = 'status'`);
    expect(stats[0]!.n).toBe(1);
  });
});
