import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "@/lib/db/scratch";
import { documents } from "@/lib/db/schema";
import { claim, enqueue } from "@/lib/ingest/queue";
import { engines, freshDatabase } from "../support/databases";

const text = (label: string, bytes: number) => new TextEncoder().encode(`${label} `.padEnd(bytes, "x"));

describe.each(engines)("the ingestion queue's order on %s", (engine) => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(() => database.close());

  it("reads a small file before the large ones queued ahead of it, and a large one once it has waited long enough", async () => {
    const { db } = database;
    const large = await enqueue(db, { bytes: text("manual", 1_000_000), format: "text", filename: "manual.txt" });
    const larger = await enqueue(db, { bytes: text("handbook", 3_000_000), format: "text", filename: "handbook.txt" });
    const note = await enqueue(db, { bytes: text("note", 2_000), format: "text", filename: "note.txt" });

    expect((await claim(db))?.document.id).toBe(note.document.id);
    expect((await claim(db))?.document.id).toBe(large.document.id);

    // Five minutes in the queue outweigh being 1,500 times larger than a fresh note.
    await db.update(documents).set({ createdAt: sql`now() - interval '5 minutes'` }).where(eq(documents.id, larger.document.id));
    const fresh = await enqueue(db, { bytes: text("fresh note", 2_000), format: "text", filename: "fresh.txt" });
    expect((await claim(db))?.document.id).toBe(larger.document.id);
    expect((await claim(db))?.document.id).toBe(fresh.document.id);
    expect(await claim(db)).toBeUndefined();
  });
});
