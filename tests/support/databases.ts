import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase, type DatabaseEngine, type DatabaseHandle } from "@/lib/db/client";

export const migrationsDir = fileURLToPath(new URL("../../drizzle", import.meta.url));

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl && process.env.CI) {
  throw new Error("TEST_DATABASE_URL is not set: CI must test against a real PostgreSQL server.");
}

/** Every suite runs on embedded PGlite, and on a real PostgreSQL server when one is given. */
export const engines: DatabaseEngine[] = serverUrl ? ["pglite", "postgres"] : ["pglite"];

if (!serverUrl) {
  console.warn("TEST_DATABASE_URL is not set: database suites run on PGlite only.");
}

/** A brand-new, migrated database: in memory for PGlite, a new database on the server. */
export async function freshDatabase(engine: DatabaseEngine): Promise<DatabaseHandle> {
  if (engine === "pglite") {
    return openDatabase({ pgliteDir: "memory://", migrationsDir });
  }
  const name = `pgrag_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), pgliteDir: "unused", migrationsDir });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
