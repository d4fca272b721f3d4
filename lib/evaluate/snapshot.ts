import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

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

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => listFiles(join(path, name)));
}
