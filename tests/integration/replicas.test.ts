import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type DatabaseHandle } from "@/lib/db/client";
import { chunks, documents } from "@/lib/db/schema";
import { openScratchDatabase, type ScratchDatabase } from "@/lib/db/scratch";
import { keywordSearch } from "@/lib/retrieve/keyword";
import { migrationsDir } from "../support/databases";

const primaryUrl = process.env.TEST_DATABASE_URL;
const replicaUrl = process.env.TEST_DATABASE_READ_URL;
if (process.env.CI && !replicaUrl) {
  throw new Error("TEST_DATABASE_READ_URL is not set: CI must test reads against a real streaming replica (.ci/postgres.sh starts one).");
}

/**
 * Searches and document reads go to a streaming replica (pg_basebackup and a
 * hot standby, started by .ci/postgres.sh) only while it holds every library
 * change the primary committed; replay is paused on it to make it lag.
 */
describe.runIf(primaryUrl && replicaUrl)("reads from a streaming replica", () => {
  let scratch: ScratchDatabase;
  let handle: DatabaseHandle;
  let standby: pg.Client;

  beforeAll(async () => {
    scratch = await openScratchDatabase({ engine: "postgres", serverUrl: primaryUrl, migrationsDir, label: "replica" });
    const replicaOfScratch = new URL(replicaUrl!);
    replicaOfScratch.pathname = new URL(scratch.location).pathname;
    // The new database reaches the standby by replication.
    for (let tries = 0; !(await canConnect(replicaOfScratch.toString())); tries++) {
      if (tries > 300) throw new Error("the scratch database did not reach the replica within 30 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    handle = await openDatabase({ url: scratch.location, readUrls: [replicaOfScratch.toString()], pgliteDir: "unused", migrationsDir });
    standby = new pg.Client({ connectionString: replicaOfScratch.toString() });
    await standby.connect();
  });
  afterAll(async () => {
    await standby?.query("select pg_wal_replay_resume()").catch(() => {});
    await standby?.end();
    await handle?.close();
    await scratch?.close();
  });

  const stored = async (title: string) => {
    const [doc] = await handle.db.insert(documents).values({ title, contentHash: title, status: "ready", format: "text" }).returning({ id: documents.id });
    const content = `${title} describes the tidal turbine maintenance schedule`;
    await handle.db.insert(chunks).values({ documentId: doc!.id, ordinal: 0, content, tokenCount: 8, searchVector: sql`to_tsvector('english', ${content})` });
    return doc!.id;
  };
  const found = async (db: Database, title: string) => (await keywordSearch(db, title, { limit: 5 })).map((hit) => hit.documentTitle);

  it("reads from the replica once it has the library's changes", async () => {
    await stored("Quillfeather");
    await expect.poll(async () => (await handle.reader()) !== handle.db, { timeout: 30_000 }).toBe(true);
    expect(await found(await handle.reader(), "Quillfeather")).toEqual(["Quillfeather"]);
  });

  it("while the replica lags, a document just made ready is found on the primary, then on the replica once it catches up", async () => {
    await standby.query("select pg_wal_replay_pause()");
    await stored("Brindlemoss");
    // The replica really is behind: it has not seen the new document.
    expect((await standby.query("select count(*)::int as n from documents where title = 'Brindlemoss'")).rows[0].n).toBe(0);
    const reader = await handle.reader();
    expect(reader).toBe(handle.db);
    expect(await found(reader, "Brindlemoss")).toEqual(["Brindlemoss"]);

    await standby.query("select pg_wal_replay_resume()");
    await expect.poll(async () => (await handle.reader()) !== handle.db, { timeout: 30_000 }).toBe(true);
    expect(await found(await handle.reader(), "Brindlemoss")).toEqual(["Brindlemoss"]);
  });

  it("passes over a replica that does not answer", async () => {
    const unreachable = await openDatabase({ url: scratch.location, readUrls: ["postgres://postgres@127.0.0.1:9/nowhere"], pgliteDir: "unused", migrationsDir });
    try {
      const started = performance.now();
      expect(await unreachable.reader()).toBe(unreachable.db);
      expect(performance.now() - started).toBeLessThan(5_000);
      // Once failed, it is not waited for again on the next read.
      const again = performance.now();
      expect(await unreachable.reader()).toBe(unreachable.db);
      expect(performance.now() - again).toBeLessThan(500);
    } finally {
      await unreachable.close();
    }
  });
});

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
