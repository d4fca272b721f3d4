import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ScratchDatabase } from "../db/scratch";

export interface RunningServer {
  baseURL: string;
  processGroup: number;
  /** From spawning `next start` to its first healthy answer. */
  answeringMs: number;
}

/**
 * Runs the production server (`next start`) with this environment until
 * `measure` is done: this checkout's build, or the one in `appFolder` (an
 * earlier commit's worktree, for a before-and-after figure). Returns false
 * when there is no production build.
 */
export async function runAppServer(env: NodeJS.ProcessEnv, measure: (server: RunningServer) => Promise<void>, appFolder = "."): Promise<boolean> {
  if (!existsSync(join(appFolder, ".next/BUILD_ID"))) return false;
  const port = 3290;
  const started = performance.now();
  const server = spawn("npx", ["next", "start", "-p", String(port)], {
    cwd: appFolder,
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  try {
    const baseURL = `http://127.0.0.1:${port}`;
    // Polled often, so the time to the first answer is measured to within 50 ms.
    while (!(await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false))) {
      if (performance.now() - started > 120_000) throw new Error("the server did not answer within 120 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await measure({ baseURL, processGroup: server.pid!, answeringMs: performance.now() - started });
    return true;
  } finally {
    process.kill(-server.pid!, "SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await groupGone(server.pid!);
  }
}

/** A server that closes a large PGlite database may take a while; a benchmark measuring meanwhile would share the cores with it. */
const SHUTDOWN_WAIT_MS = 120_000;

/**
 * Waits until every process of the server's group has exited: npx exits at
 * once on SIGTERM while `next start` below it is still shutting down.
 */
async function groupGone(processGroup: number) {
  const alive = () => {
    try {
      process.kill(-processGroup, 0);
      return true;
    } catch {
      return false;
    }
  };
  const started = performance.now();
  while (alive()) {
    if (performance.now() - started > SHUTDOWN_WAIT_MS) {
      console.warn(`the server had not exited ${SHUTDOWN_WAIT_MS / 1000} s after SIGTERM; killed`);
      process.kill(-processGroup, "SIGKILL");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs the production server on a benchmark's database, so latency is
 * measured as a person meets it: HTTP, JSON and the query embedding included.
 */
export async function withAppServer(
  database: ScratchDatabase,
  engine: string,
  measure: (baseURL: string, processGroup: number) => Promise<void>,
  extraEnv: Record<string, string> = {},
): Promise<boolean> {
  if (!existsSync(".next/BUILD_ID")) return false;
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  if (engine === "pglite") {
    // PGlite admits one process: hand its folder over to the server.
    await database.detach();
    env.PGLITE_DIR = database.location;
    delete env.DATABASE_URL;
  } else {
    env.DATABASE_URL = database.location;
  }
  return runAppServer(env, (server) => measure(server.baseURL, server.processGroup));
}
