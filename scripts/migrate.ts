/** Applies drizzle/ migrations to DATABASE_URL (or the embedded database) and exits. */
import "./load-env";
import { getConfig } from "../lib/config";
import { databaseVersions, openDatabase } from "../lib/db/client";

try {
  const config = getConfig();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: config.PGLITE_DIR,
    migrationsDir: config.MIGRATIONS_DIR,
  });
  const versions = await databaseVersions(database.db);
  console.log(
    `Migrations applied (${database.engine}, PostgreSQL ${versions.server}, pgvector ${versions.pgvector}).`,
  );
  await database.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
