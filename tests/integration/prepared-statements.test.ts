import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@/lib/db/client";
import { queryPreparedRows } from "@/lib/db/prepared-statements";
import * as schema from "@/lib/db/schema";
import type { ScratchDatabase } from "@/lib/db/scratch";
import { engines, freshDatabase } from "../support/databases";

describe.each(engines)("prepared statements on %s", (engine) => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("answer each run with its own values, past the runs after which PostgreSQL keeps a generic plan", async () => {
    const query = (n: number, label: string | null) => sql`
      select ${n}::int as n, ${label}::text as label, ${n}::float8 / 4 as quarter,
             jsonb_build_object('n', ${n}::int) as meta,
             timestamptz '2026-12-04 03:00:00+00' + make_interval(days => ${n}::int) as at`;
    for (let n = 0; n < 12; n++) {
      const label = n % 3 === 0 ? null : `run ${n} — ‘quoted’`;
      const prepared = await queryPreparedRows(database.db, query(n, label));
      expect(prepared).toEqual(await queryRows(database.db, query(n, label)));
      expect(prepared[0]).toMatchObject({ n, label, quarter: n / 4, meta: { n } });
    }
  });

  it("keep two queries apart however alike they are", async () => {
    const first = await queryPreparedRows<{ value: string }>(database.db, sql`select ${"a"}::text as value`);
    const second = await queryPreparedRows<{ value: string }>(database.db, sql`select ${"a"}::text || 'b' as value`);
    expect([first[0]!.value, second[0]!.value]).toEqual(["a", "ab"]);
  });
});

describe.runIf(engines.includes("postgres"))("prepared statements on PostgreSQL", () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await freshDatabase("postgres");
  });
  afterAll(async () => {
    await database?.close();
  });

  it("are named statements the connection keeps", async () => {
    // pg_prepared_statements lists the session's own, this query among them while it runs.
    const rows = await queryPreparedRows<{ name: string }>(database.db, sql`select name from pg_prepared_statements where ${1} = 1`);
    expect(rows.map((row) => row.name)).toEqual([expect.stringMatching(/^pgrag_[0-9a-f]{24}$/)]);
  });

  it("fail with the server's message and leave every connection usable", async () => {
    // More failures at once than the pool has connections, so failed ones are handed out again.
    const failing = Array.from({ length: 12 }, (_, i) =>
      queryPreparedRows(database.db, sql`select 1 / (${i}::int - ${i}::int) as one`).then(
        () => "answered",
        (error: Error) => error.message,
      ),
    );
    for (const outcome of await Promise.all(failing)) expect(outcome).toMatch(/division by zero/);
    const after = await Promise.all(failing.map((_, i) => queryPreparedRows<{ one: number }>(database.db, sql`select 1 / (${i}::int + 1 - ${i}::int) as one`)));
    expect(after.map(([row]) => row!.one)).toEqual(failing.map(() => 1));
  });

  it("go unprepared for good once the server has lost one, as behind a pooler in transaction mode", async () => {
    const pool = new pg.Pool({ connectionString: database.location, max: 1 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const db = drizzle(pool, { schema, casing: "snake_case" });
      const count = sql`select count(*)::int as prepared from pg_prepared_statements where ${"x"}::text = 'x'`;
      expect(await queryPreparedRows(db, count)).toEqual([{ prepared: 1 }]);
      // The one connection's server session forgets it; the client still believes it prepared.
      await pool.query("deallocate all");
      expect(await queryPreparedRows(db, count)).toEqual([{ prepared: 0 }]);
      expect(await queryPreparedRows(db, sql`select ${2}::int as n`)).toEqual([{ n: 2 }]);
      expect(await queryPreparedRows(db, count)).toEqual([{ prepared: 0 }]);
      expect(warn).toHaveBeenCalledOnce();
      expect(String(warn.mock.calls[0]![0])).toMatch(/does not exist.*unprepared from now on/);
    } finally {
      warn.mockRestore();
      await pool.end();
    }
  });
});
