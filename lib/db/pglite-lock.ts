import "server-only";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError } from "../config";

/**
 * PGlite is a single-process database: two processes writing one data directory
 * corrupt it. A pid file turns that into a clear refusal.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = join(dirname(dataDir), `${dataDir.split(/[\\/]/).pop()}.lock`);
  mkdirSync(dirname(lockFile), { recursive: true });
  const holder = readLockHolder(lockFile);
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new ConfigError(
      `The embedded database in ${dataDir} is already open in process ${holder}. Stop that process first, or set DATABASE_URL to a PostgreSQL server that several processes can share.`,
    );
  }
  writeFileSync(lockFile, String(process.pid));
  const release = () => {
    if (readLockHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
  };
  process.once("exit", release);
  return release;
}

function readLockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
