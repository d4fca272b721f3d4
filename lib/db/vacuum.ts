import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "./client";

/**
 * Autovacuum's default thresholds: a table is vacuumed after 1,000 rows plus a
 * fifth of its size were added or died, and analyzed after 50 rows plus a
 * tenth of it changed.
 */
const VACUUM_BASE_ROWS = 1000;
const VACUUM_SHARE = 0.2;
const ANALYZE_BASE_ROWS = 50;
const ANALYZE_SHARE = 0.1;

/**
 * PGlite runs no autovacuum, so nothing ever vacuumed or analyzed its tables:
 * deleted rows were never reclaimed; the visibility map was never set, which
 * made every index-only scan fetch each row from the table as well (keyword
 * search read its postings that way before they moved into blocks: at 100,000
 * chunks it took 479 ms at p95 before a vacuum and 57 ms after); and without statistics the planner took a
 * library of 1,000 ready documents for 3 and searched 10,000 vectors without
 * their index. So a PGlite app does what autovacuum would have: vacuums each
 * table with more new or dead rows since its last vacuum than autovacuum's
 * thresholds, and analyzes each with more changed rows since its last
 * statistics. Returns the tables it touched.
 */
export async function autovacuum(db: Database): Promise<string[]> {
  // The statistics below are flushed lazily; this makes them current.
  await db.execute(sql`select pg_stat_force_next_flush()`);
  const due = await queryRows<{ table_name: string; vacuum: boolean }>(db, sql`
    select table_name, needs_vacuum as vacuum from (
      select relname as table_name,
             n_ins_since_vacuum + n_dead_tup > ${VACUUM_BASE_ROWS} + ${VACUUM_SHARE}::float8 * n_live_tup as needs_vacuum,
             n_mod_since_analyze > ${ANALYZE_BASE_ROWS} + ${ANALYZE_SHARE}::float8 * n_live_tup as needs_analyze
      from pg_stat_user_tables) tables
    where needs_vacuum or needs_analyze
    order by table_name`);
  // One table at a time: requests take turns with each.
  for (const { table_name, vacuum } of due) {
    await db.execute(vacuum ? sql`vacuum (analyze) ${sql.identifier(table_name)}` : sql`analyze ${sql.identifier(table_name)}`);
  }
  return due.map((row) => row.table_name);
}
