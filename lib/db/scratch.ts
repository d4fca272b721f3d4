import "server-only";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
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
  /** PGlite only: a folder holding a saved database to start from (copied, never changed). */
  from?: string;
}

export interface ScratchDatabase extends DatabaseHandle {
  /** Where another process finds it: the server URL, or the PGlite folder ("memory://" in memory). */
  location: string;
  /** Lets go of the database but keeps it, so another process can open it (PGlite admits one); close() still removes it. */
  detach(): Promise<void>;
}

/**
 * A brand-new, migrated database that disappears on close: for tests,
 * benchmarks and evaluations, never the user's own data.
 */
export async function openScratchDatabase(options: ScratchOptions): Promise<ScratchDatabase> {
  if (options.engine === "pglite") {
    const dir = options.onDisk || options.from ? mkdtempSync(join(tmpdir(), `pgrag-${options.label}-`)) : undefined;
    const location = dir ? join(dir, "pglite") : "memory://";
    if (options.from) cpSync(options.from, location, { recursive: true });
    return scratch(await openDatabase({ pgliteDir: location, migrationsDir: options.migrationsDir }), location, async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
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
  return scratch(handle, url.toString(), () => admin(`drop database if exists ${name} with (force)`));
}

function scratch(handle: DatabaseHandle, location: string, remove: () => Promise<void>): ScratchDatabase {
  let open = true;
  const detach = async () => {
    if (open) await handle.close();
    open = false;
  };
  return {
    ...handle,
    location,
    detach,
    async close() {
      await detach();
      await remove();
    },
  };
}

/**
 * What a script's --engine option asks for ("pglite", "postgres" or, where
 * allowed, "both"), with the server URL a postgres run needs: the first of
 * `variables` that is set. Refused up front, before minutes of work.
 */
export function scratchEngines(
  option: string,
  variables: string[],
  allowBoth = true,
): { engines: DatabaseEngine[]; serverUrl?: string } {
  const choices = allowBoth ? ["pglite", "postgres", "both"] : ["pglite", "postgres"];
  if (!choices.includes(option)) throw new Error(`--engine must be ${choices.join(", ")} (got ${option})`);
  const engines: DatabaseEngine[] = option === "both" ? ["pglite", "postgres"] : [option as DatabaseEngine];
  const serverUrl = variables.map((name) => process.env[name]).find(Boolean);
  if (engines.includes("postgres") && !serverUrl) {
    throw new Error(`--engine ${option} needs ${variables.join(" or ")} set to a PostgreSQL server where it may create and drop a database.`);
  }
  return { engines, serverUrl };
}
