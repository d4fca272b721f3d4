import "server-only";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type DatabaseEngine, type DatabaseHandle } from "./client";

export interface ScratchOptions {
  engine: DatabaseEngine;
  /** Server on which a new database is created and dropped (postgres engine). */
  serverUrl?: string;
  migrationsDir: string;
  /** Names the database on the server, so a leftover one says where it came from. */
  label: string;
  /** PGlite on disk in a temporary folder, as the app runs, rather than in memory. */
  onDisk?: boolean;
}

/**
 * A brand-new, migrated database that disappears on close: for tests,
 * benchmarks and evaluations, never the user's own data.
 */
export async function openScratchDatabase(options: ScratchOptions): Promise<DatabaseHandle> {
  if (options.engine === "pglite") {
    if (!options.onDisk) return openDatabase({ pgliteDir: "memory://", migrationsDir: options.migrationsDir });
    const dir = mkdtempSync(join(tmpdir(), `pgrag-${options.label}-`));
    const handle = await openDatabase({ pgliteDir: join(dir, "pglite"), migrationsDir: options.migrationsDir });
    return {
      ...handle,
      async close() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = options.serverUrl;
  if (!serverUrl) throw new Error("A scratch database on PostgreSQL needs the URL of a server.");
  const name = `pgrag_${options.label}_${randomBytes(5).toString("hex")}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), pgliteDir: "unused", migrationsDir: options.migrationsDir });
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
