import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asBackgroundWork, openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { migrationsDir } from "../support/databases";

/**
 * PGlite runs on the server's own thread and serves one statement at a time:
 * what keeps requests answered while an import writes is that background work
 * gives the event loop turns and lets requests' statements go first.
 */
describe("PGlite shared between requests and background work", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ pgliteDir: "memory://", migrationsDir });
  });
  afterAll(() => handle.close());

  /** Three import-like loops of statements, each counting into `log` as it finishes one. */
  function importLike(log: string[], until: { done: boolean }) {
    return Array.from({ length: 3 }, (_, loop) =>
      asBackgroundWork(async () => {
        while (!until.done) {
          await handle.db.transaction(async (tx) => {
            await tx.execute(sql`select count(*) from generate_series(1, 20000)`);
            await tx.execute(sql`select count(*) from generate_series(1, 20000)`);
          });
          log.push(`background ${loop}`);
        }
      }),
    );
  }

  it("runs a request's statements ahead of the import's queued ones", async () => {
    const log: string[] = [];
    const until = { done: false };
    const loops = importLike(log, until);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const before = log.length;
    // A request of several statements in a row, as a health check or a search makes.
    for (let statement = 0; statement < 8; statement++) await handle.db.execute(sql`select 1`);
    const during = log.length - before;
    until.done = true;
    await Promise.all(loops);

    expect(before).toBeGreaterThan(0);
    // Only the transactions already queued when the request came (one per
    // loop) run before it ends; in arrival order, each of its eight statements
    // would wait for all three loops.
    expect(during).toBeLessThanOrEqual(3);
  });

  it("still lets the import on while requests keep coming", async () => {
    const log: string[] = [];
    const until = { done: false };
    const loops = importLike(log, until);
    const started = Date.now();
    while (Date.now() - started < 1500) await handle.db.execute(sql`select count(*) from generate_series(1, 2000)`);
    const progressed = log.length;
    until.done = true;
    await Promise.all(loops);
    // Requests go first, but background work waits at most 250 ms for them.
    expect(progressed).toBeGreaterThanOrEqual(3);
  });

  it("gives timers their turn between background statements", async () => {
    const until = { done: false };
    const loops = importLike([], until);
    const delays: number[] = [];
    for (let tick = 0; tick < 20; tick++) {
      const asked = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 0));
      delays.push(performance.now() - asked);
    }
    until.done = true;
    await Promise.all(loops);
    // One statement of 20,000 rows at most, not a whole transaction chain.
    expect(Math.max(...delays)).toBeLessThan(100);
  });
});
