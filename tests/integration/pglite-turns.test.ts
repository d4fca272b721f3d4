import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  function importLike(log: string[], until: { done: boolean }, markBackground = asBackgroundWork) {
    return Array.from({ length: 3 }, (_, loop) =>
      markBackground(async () => {
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

  /**
   * A request of several statements in a row, as a health check or a search
   * makes, once the import has begun: how many of its transactions ran before
   * the import began and while the request was served.
   */
  async function requestDuringImport(markBackground = asBackgroundWork) {
    const log: string[] = [];
    const until = { done: false };
    const loops = importLike(log, until, markBackground);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = log.length;
    for (let statement = 0; statement < 8; statement++) await handle.db.execute(sql`select 1`);
    const during = log.length - before;
    until.done = true;
    await Promise.all(loops);
    return { before, during };
  }

  it("runs a request's statements ahead of the import's queued ones", async () => {
    const { before, during } = await requestDuringImport();

    expect(before).toBeGreaterThan(0);
    // Only the transactions already queued when the request came (one per
    // loop) run before it ends; in arrival order, each of its eight statements
    // would wait for all three loops.
    expect(during).toBeLessThanOrEqual(3);
  });

  it("knows background work marked by another copy of the module, as each route's bundle has", async () => {
    vi.resetModules();
    const otherCopy = await import("@/lib/db/client");
    expect(otherCopy.asBackgroundWork).not.toBe(asBackgroundWork);
    const { during } = await requestDuringImport(otherCopy.asBackgroundWork);
    // Unseen, the loops' transactions would count as requests' and go in arrival order.
    expect(during).toBeLessThanOrEqual(3);
  });

  it("serves a request's statements back to back, without waiting for the event loop between them", async () => {
    const until = { done: false };
    const loops = importLike([], until);
    await new Promise((resolve) => setTimeout(resolve, 50));
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const counted = turns;
    for (let statement = 0; statement < 20; statement++) await handle.db.execute(sql`select 1`);
    const during = turns - counted;
    ticking = false;
    until.done = true;
    await Promise.all(loops);
    // Twenty statements of six protocol messages: a turn for each message took
    // 154. What turns remain are the background transaction's that was under
    // way when the request came (33 to 40 measured).
    expect(during).toBeLessThan(60);
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
