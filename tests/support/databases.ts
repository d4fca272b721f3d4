import { fileURLToPath } from "node:url";
import type { DatabaseEngine } from "@/lib/db/client";
import { openScratchDatabase, type ScratchDatabase } from "@/lib/db/scratch";

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
export function freshDatabase(engine: DatabaseEngine): Promise<ScratchDatabase> {
  return openScratchDatabase({ engine, serverUrl, migrationsDir, label: "test" });
}
