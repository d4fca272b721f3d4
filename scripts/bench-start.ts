/**
 * What a person meets first: the time from starting the production server on
 * an empty embedded database to its first answer, to the first search's
 * results, and a later search for comparison.
 *
 *   npm run build && npm run bench:start
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAppServer } from "../lib/bench/app-server";

const folder = mkdtempSync(join(tmpdir(), "pgrag-start-"));
const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: join(folder, "pglite") };
delete env.DATABASE_URL;
delete env.API_KEY;

try {
  const ran = await runAppServer(env, async ({ baseURL, answeringMs }) => {
    const search = async (query: string) => {
      const started = performance.now();
      const response = await fetch(`${baseURL}/api/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`);
      return performance.now() - started;
    };
    // What a person does next: opens the page, then searches.
    const opening = performance.now();
    await fetch(`${baseURL}/`);
    const pageMs = performance.now() - opening;
    const first = await search("how do I reclaim disk space");
    const second = await search("what does the keeper log each night");
    console.log(`server answering: ${answeringMs.toFixed(0)} ms after start`);
    console.log(`first search: ${first.toFixed(0)} ms (results ${(answeringMs + pageMs + first).toFixed(0)} ms after start); a later search: ${second.toFixed(0)} ms`);
  });
  if (!ran) {
    console.log("bench:start needs the production build: run npm run build first");
    process.exitCode = 1;
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
