import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "./client";

/** Autovacuum's defaults for inserts: a table is due after 1,000 rows plus a fifth of its size changed. */
const VACUUM_BASE_ROWS = 1000;
const VACUUM_SHARE = 0.2;

/**
 * PGlite runs no autovacuum, so nothing ever vacuumed its tables: deleted
 * rows were never reclaimed, and the visibility map was never set, which made
 * every index-only scan fetch each row from the table as well. Keyword search
 * reads postings that way, and at 100,000 chunks it took 479 ms at p95 before
 * a vacuum and 57 ms after (`npm run bench:search`). So a PGlite app vacuums
 * what autovacuum would have: each table with more new or dead rows since its
 * last vacuum than autovacuum's thresholds. Returns the tables vacuumed.
 */
export async function vacuumWhereDue(db: Database): Promise<string[]> {
  // The statistics below are flushed lazily; this makes them current.
  await db.execute(sql`select pg_stat_force_next_flush()`);
  const due = await queryRows<{ table_name: string }>(db, sql`
    select relname as table_name from pg_stat_user_tables
    where n_ins_since_vacuum + n_dead_tup > ${VACUUM_BASE_ROWS} + ${VACUUM_SHARE}::float8 * n_live_tup
    order by relname`);
  // One table at a time: requests take turns with each.
  for (const { table_name } of due) await db.execute(sql`vacuum (analyze) ${sql.identifier(table_name)}`);
  return due.map((row) => row.table_name);
}
