/**
 * What a person meets first: the time from starting the production server on
 * an empty embedded database to its first answer, to the first search's
 * results, and a later search for comparison.
 *
 *   npm run build && npm run bench:start
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

if (!existsSync(".next/BUILD_ID")) {
  console.log("bench:start needs the production build: run npm run build first");
  process.exit(1);
}

const port = 3291;
const base = `http://127.0.0.1:${port}`;
const folder = mkdtempSync(join(tmpdir(), "pgrag-start-"));
const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: join(folder, "pglite"), NEXT_TELEMETRY_DISABLED: "1" };
delete env.DATABASE_URL;
delete env.API_KEY;

const search = async (query: string) => {
  const started = performance.now();
  const response = await fetch(`${base}/api/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`);
  return performance.now() - started;
};

const started = performance.now();
const server = spawn("npx", ["next", "start", "-p", String(port)], { env, stdio: "ignore", detached: true });
try {
  for (;;) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    if (performance.now() - started > 120_000) throw new Error("the server did not answer within 120 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const answering = performance.now() - started;
  // What a person does next: opens the page, then searches.
  await fetch(`${base}/`);
  const first = await search("how do I reclaim disk space");
  const second = await search("what does the keeper log each night");
  console.log(`server answering: ${answering.toFixed(0)} ms after start`);
  console.log(`first search: ${first.toFixed(0)} ms (results ${(performance.now() - started).toFixed(0)} ms after start); a later search: ${second.toFixed(0)} ms`);
} finally {
  process.kill(-server.pid!, "SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(folder, { recursive: true, force: true });
}
