import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { queryRows, type Database } from "./client";

/** Column types a copied row can hold, and what each becomes in JavaScript. */
interface CopiedValues {
  text: string;
  int4: number;
  float8: number;
  bytea: Uint8Array;
}
export type CopiedColumn = keyof CopiedValues;
export type CopiedRow<Columns extends Record<string, CopiedColumn>> = { [Name in keyof Columns]: CopiedValues[Columns[Name]] | null };

const decoders: { [Type in CopiedColumn]: (field: Buffer) => CopiedValues[Type] } = {
  text: (field) => field.toString("utf8"),
  int4: (field) => field.readInt32BE(0),
  float8: (field) => field.readDoubleBE(0),
  bytea: (field) => field,
};

const dialect = new PgDialect();

/**
 * The rows of a query whose answer is mostly bytea. node-postgres asks for
 * results as text, in which PostgreSQL writes every bytea out in hex and the
 * client parses the hex back: a million-chunk library's keyword search reads
 * megabytes of posting blocks, and half its time went to that. node-postgres's
 * `binary` option would skip it but decodes each field as UTF-8 on the way,
 * corrupting bytes (brianc/node-postgres#3495, open); COPY's binary format
 * hands the stored bytes over as they are. On PGlite (in-process, bytea
 * arrives as bytes already) and inside a transaction it is queryRows.
 *
 * COPY takes no parameters: the query must have none (inline values with
 * pg.escapeLiteral). `columns` names the query's columns, in order, and their types.
 */
export async function queryCopiedRows<Columns extends Record<string, CopiedColumn>>(
  db: Database,
  query: SQL,
  columns: Columns,
): Promise<CopiedRow<Columns>[]> {
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return queryRows<CopiedRow<Columns>>(db, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  if (params.length > 0) throw new Error("queryCopiedRows takes a query without parameters: COPY cannot bind them.");
  const client = await pool.connect();
  const parts: Buffer[] = [];
  try {
    for await (const part of client.query(copyTo(`COPY (${text}) TO STDOUT (FORMAT binary)`))) parts.push(part as Buffer);
  } catch (error) {
    // A connection whose COPY broke off may be mid-protocol: not reused.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  client.release();
  return parseBinaryCopy(Buffer.concat(parts), Object.entries(columns));
}

/** What COPY's binary format starts with, before its flags and header extension. */
export const BINARY_COPY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Rows from COPY's binary format (PostgreSQL's COPY reference, "Binary
 * Format"): the signature, flags and a header extension, then per row a field
 * count and each field's length (-1 for NULL) and bytes, then -1.
 */
function parseBinaryCopy<Columns extends Record<string, CopiedColumn>>(data: Buffer, columns: [string, CopiedColumn][]): CopiedRow<Columns>[] {
  if (!data.subarray(0, BINARY_COPY_SIGNATURE.length).equals(BINARY_COPY_SIGNATURE)) throw new Error("COPY did not answer in its binary format.");
  let at = BINARY_COPY_SIGNATURE.length + 4;
  at += 4 + data.readInt32BE(at);
  const rows: CopiedRow<Columns>[] = [];
  for (let fields = data.readInt16BE(at); fields !== -1; fields = data.readInt16BE(at)) {
    if (fields !== columns.length) throw new Error(`COPY answered ${fields} columns where ${columns.length} were named.`);
    at += 2;
    const row: Record<string, unknown> = {};
    for (const [name, type] of columns) {
      const length = data.readInt32BE(at);
      at += 4;
      if (length === -1) {
        row[name] = null;
        continue;
      }
      row[name] = decoders[type](data.subarray(at, at + length));
      at += length;
    }
    rows.push(row as CopiedRow<Columns>);
  }
  return rows;
}

/**
 * A string as an SQL literal, for queries that cannot take parameters. NUL,
 * which PostgreSQL text cannot hold and which would end the statement early,
 * becomes a space.
 */
export function textLiteral(value: string): SQL {
  return sql.raw(pg.escapeLiteral(value.replaceAll("\0", " ")));
}
