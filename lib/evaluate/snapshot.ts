import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseEngine } from "../db/client";
import { openScratchDatabase, type ScratchDatabase } from "../db/scratch";

/**
 * A copy of an ingested PGlite evaluation database, so a re-run skips
 * ingestion entirely. The key covers everything the stored data depends on:
 * the corpus, the embedding model, the chunking settings, and the source of
 * the code that parses, chunks and stores (lib/ingest, lib/db, the keyword
 * indexing, the migrations). Change any of them and the snapshot is not used.
 */
export function snapshotKey(parts: string[], sourcePaths: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part}\0`);
  for (const file of sourcePaths.flatMap(listFiles).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

export function snapshotPath(cacheDirectory: string, key: string): string {
  return join(cacheDirectory, `pglite-${key}`);
}

/** Copies a closed PGlite folder into the cache; written aside and renamed, so a crash never leaves half a snapshot. */
export function saveSnapshot(cacheDirectory: string, key: string, pgliteDirectory: string): void {
  const target = snapshotPath(cacheDirectory, key);
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(pgliteDirectory, partial, { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
}

export function hasSnapshot(cacheDirectory: string, key: string): boolean {
  return existsSync(snapshotPath(cacheDirectory, key));
}

/**
 * A scratch database holding an ingested corpus: on PGlite, restored from its
 * snapshot when `reuse` and one matches `key`; otherwise filled by `ingest`
 * and, on PGlite, snapshotted for the next run.
 */
export async function openIngestedDatabase(options: {
  engine: DatabaseEngine;
  serverUrl?: string;
  migrationsDir: string;
  label: string;
  cacheDirectory: string;
  key: string;
  reuse: boolean;
  ingest: (database: ScratchDatabase) => Promise<void>;
}): Promise<{ database: ScratchDatabase; restored: boolean }> {
  const { engine, migrationsDir, label, cacheDirectory, key } = options;
  const restored = engine === "pglite" && options.reuse && hasSnapshot(cacheDirectory, key);
  const from = restored ? snapshotPath(cacheDirectory, key) : undefined;
  const database = await openScratchDatabase({ engine, serverUrl: options.serverUrl, migrationsDir, label, onDisk: true, from });
  if (restored) return { database, restored };
  try {
    await options.ingest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  if (engine !== "pglite") return { database, restored };
  // PGlite writes its folder fully on close: snapshot it then, and go on from the copy.
  await database.detach();
  saveSnapshot(cacheDirectory, key, database.location);
  await database.close();
  return { database: await openScratchDatabase({ engine, migrationsDir, label, from: snapshotPath(cacheDirectory, key) }), restored };
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => listFiles(join(path, name)));
}
