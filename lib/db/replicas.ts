import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "./client";

/** A replica that failed to answer is left alone this long before it is tried again. */
const RETRY_AFTER_MS = 10_000;

/**
 * Picks the database a search or a document read goes to: the streaming
 * replicas in turn, each only while it has every library change the primary
 * has committed (drizzle/0015_library_version.sql: a counter the primary
 * raises in the same transaction as each such change, so a replica showing
 * the primary's count shows the changes too). A replica behind it, or not
 * answering, is passed over; with none current, the primary answers. The cost
 * is two one-row reads, one on each side.
 */
export function replicaReader(primary: Database, replicas: Database[]): () => Promise<Database> {
  if (replicas.length === 0) return async () => primary;
  const failedUntil = replicas.map(() => 0);
  let next = 0;
  const version = async (db: Database) => BigInt((await queryRows<{ version: string }>(db, sql`select version from library_version`))[0]!.version);
  return async () => {
    const current = await version(primary);
    for (let tried = 0; tried < replicas.length; tried++) {
      const index = (next + tried) % replicas.length;
      if (failedUntil[index]! > Date.now()) continue;
      try {
        if ((await version(replicas[index]!)) >= current) {
          next = (index + 1) % replicas.length;
          return replicas[index]!;
        }
      } catch {
        failedUntil[index] = Date.now() + RETRY_AFTER_MS;
      }
    }
    return primary;
  };
}
