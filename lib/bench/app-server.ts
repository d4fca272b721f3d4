import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { ScratchDatabase } from "../db/scratch";

/**
 * Runs the production server (`next start`) on a benchmark's database, so
 * latency is measured as a person meets it: HTTP, JSON and the query
 * embedding included. Returns false when there is no production build.
 */
export async function withAppServer(
  database: ScratchDatabase,
  engine: string,
  measure: (baseURL: string, processGroup: number) => Promise<void>,
  extraEnv: Record<string, string> = {},
): Promise<boolean> {
  if (!existsSync(".next/BUILD_ID")) return false;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extraEnv };
  if (engine === "pglite") {
    // PGlite admits one process: hand its folder over to the server.
    await database.detach();
    env.PGLITE_DIR = database.location;
    delete env.DATABASE_URL;
  } else {
    env.DATABASE_URL = database.location;
  }
  const port = 3290;
  const server = spawn("npx", ["next", "start", "-p", String(port)], { env, stdio: "ignore", detached: true });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let tries = 0; ; tries++) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (tries > 120) throw new Error("the server did not start within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await measure(base, server.pid!);
    return true;
  } finally {
    process.kill(-server.pid!, "SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  }
}
