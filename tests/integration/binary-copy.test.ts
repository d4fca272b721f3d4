import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryCopiedRows, textLiteral } from "@/lib/db/binary-copy";
import { queryRows } from "@/lib/db/client";
import type { ScratchDatabase } from "@/lib/db/scratch";
import { engines, freshDatabase } from "../support/databases";

/** Every byte value, so a reader that treats bytea as text or hex anywhere gets some of them wrong. */
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe.each(engines)("rows copied in PostgreSQL's binary format on %s", (engine) => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("are the rows a query gives, bytea, text, integers and floats alike, nulls included", async () => {
    const query = sql`
      select decode(${sql.raw(`'${allBytes.toString("hex")}'`)}, 'hex') as data, 'Ångström — naïve 🐝'::text as term,
             (-2147483648)::int4 as small, (-0.1)::float8 as ratio
      union all
      select ''::bytea, '', 2147483647, 1e308
      union all
      select null, null, null, null`;
    const copied = await queryCopiedRows(database.db, query, { data: "bytea", term: "text", small: "int4", ratio: "float8" });
    const asBuffers = (rows: { data: Uint8Array | null }[]) => rows.map((row) => ({ ...row, data: row.data && Buffer.from(row.data) }));
    expect(asBuffers(copied)).toEqual(asBuffers(await queryRows(database.db, query)));
    expect(Buffer.from(copied[0]!.data!)).toEqual(allBytes);
    expect(copied[0]).toMatchObject({ term: "Ångström — naïve 🐝", small: -2147483648, ratio: -0.1 });
    expect(copied[1]).toMatchObject({ term: "", small: 2147483647, ratio: 1e308 });
    expect(Buffer.from(copied[1]!.data!).length).toBe(0);
    expect(copied[2]).toEqual({ data: null, term: null, small: null, ratio: null });
  });

  it("inline text as a literal that reads back as the text, whatever it holds", async () => {
    const hostile = ["it's", "back\\slash \\' end", "$1 $$ quoted $$", "'); drop table chunks; --", "line\nbreak\ttab", "nul\0here"];
    for (const text of hostile) {
      const [row] = await queryCopiedRows(database.db, sql`select ${textLiteral(text)}::text as text`, { text: "text" });
      expect(row!.text).toBe(text.replaceAll("\0", " "));
    }
    await expect(queryRows(database.db, sql`select count(*) from chunks`)).resolves.toHaveLength(1);
  });
});

describe.runIf(engines.includes("postgres"))("COPY on PostgreSQL", () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await freshDatabase("postgres");
  });
  afterAll(async () => {
    await database?.close();
  });

  it("refuses a query with parameters, and leaves every connection usable after a COPY that fails", async () => {
    await expect(queryCopiedRows(database.db, sql`select ${"bound"}::text as text`, { text: "text" })).rejects.toThrow(/without parameters/);
    // More failures at once than the pool has connections, so failed ones are handed out again.
    const failing = Array.from({ length: 12 }, (_, i) =>
      queryCopiedRows(database.db, sql.raw(`select (1 / (${i} - ${i}))::int4 as one`), { one: "int4" }).then(
        () => "copied",
        (error: Error) => error.message,
      ),
    );
    for (const outcome of await Promise.all(failing)) expect(outcome).toMatch(/division by zero/);
    const after = await Promise.all(failing.map((_, i) => queryCopiedRows(database.db, sql.raw(`select ${i}::int4 as one`), { one: "int4" })));
    expect(after.map(([row]) => row!.one)).toEqual(failing.map((_, i) => i));
  });
});
