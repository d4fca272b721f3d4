import "server-only";
import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { queryRows, type Database } from "./client";
import { hasErrorCode } from "./errors";

const dialect = new PgDialect();

/**
 * Types drizzle's node-postgres driver hands over as the server's text rather
 * than parsing (timestamps, dates, intervals and their arrays), so a row reads
 * the same whichever way it was queried.
 */
const UNPARSED_TYPES = new Set([1184, 1114, 1082, 1186, 1185, 1115, 1182, 1187, 1231]);
const types = {
  getTypeParser: (typeId: number, format?: "text" | "binary") =>
    UNPARSED_TYPES.has(typeId) ? (value: string) => value : pg.types.getTypeParser(typeId, format),
};

/**
 * Pools whose server said it lacks a statement the client prepared on it, or
 * already has one the client had not: a pooler in transaction mode
 * (Supavisor, PgBouncer before 1.21 or without max_prepared_statements) hands
 * each statement to whichever server connection is free, so a name prepared
 * through one is unknown to the next. Their searches go unprepared from then on.
 */
const poolsWithoutPreparedStatements = new WeakSet<pg.Pool>();

/**
 * The rows of a query that runs again and again with other values (a search),
 * as a named statement on PostgreSQL: each pooled connection parses and plans
 * it once, and after five runs PostgreSQL keeps one generic plan. At 100,000
 * chunks planning took 0.3–0.5 ms of semantic search's 3 ms, and prepared,
 * semantic search was 0.2–0.9 ms faster at p50 and p95; keyword search's
 * look-up of its best chunks went from p50 0.92, p95 2.28 ms to 0.50, 1.04 ms.
 *
 * The statement is named after its text, so the text must not inline values
 * that vary without bound (each would become a statement kept on every
 * connection): values that change go in as parameters. On PGlite, inside a
 * transaction, and behind a pooler that loses statements it is queryRows.
 */
export async function queryPreparedRows<Row>(db: Database, query: SQL): Promise<Row[]> {
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool) || poolsWithoutPreparedStatements.has(pool)) return queryRows<Row>(db, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  const name = `pgrag_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
  try {
    const result = await pool.query({ name, text, values: params, types });
    return result.rows as Row[];
  } catch (error) {
    // invalid_sql_statement_name, duplicate_prepared_statement
    if (!hasErrorCode(error, "26000", "42P05")) throw error;
    // Searches under way when the pooler first lost one fail here together: one warning.
    if (!poolsWithoutPreparedStatements.has(pool)) {
      poolsWithoutPreparedStatements.add(pool);
      console.warn(
        `pgrag: the database lost a prepared statement (${(error as Error).message}), as a connection pooler in transaction mode does; ` +
          "searches are sent unprepared from now on (PgBouncer 1.21 or later with max_prepared_statements above 0 keeps them)",
      );
    }
    return queryRows<Row>(db, query);
  }
}
