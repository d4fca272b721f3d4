/**
 * Builds and starts the server exactly as the Docker image does, since no
 * Docker engine runs where pgrag is developed:
 *   npm run test:production
 * `NEXT_OUTPUT=standalone next build`, then the Dockerfile's runtime stage
 * (.next/standalone with .next/static, drizzle/ and samples/ copied in) started with
 * `node server.js` in a folder of its own, on a throwaway PGlite database. It
 * must answer its health check, store and find a text through the original
 * API, answer a question, and serve the pages. Overwrites .next (run it after
 * the end-to-end tests, as npm test does).
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = 3295;
const base = `http://127.0.0.1:${port}`;

class CheckFailed extends Error {}

function fail(message: string): never {
  throw new CheckFailed(message);
}

const build = spawnSync("npx", ["next", "build"], {
  env: { ...process.env, NEXT_OUTPUT: "standalone", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: ["ignore", "ignore", "inherit"],
});
if (build.status !== 0) {
  console.error("test:production: the standalone build failed");
  process.exit(1);
}

// The Dockerfile's runtime stage, in a folder away from the source tree, so
// nothing outside what the image ships can be picked up.
const app = mkdtempSync(join(tmpdir(), "pgrag-standalone-"));
cpSync(".next/standalone", app, { recursive: true });
cpSync(".next/static", join(app, ".next/static"), { recursive: true });
cpSync("drizzle", join(app, "drizzle"), { recursive: true });
cpSync("samples", join(app, "samples"), { recursive: true });
if (!existsSync(join(app, "server.js"))) {
  console.error("test:production: .next/standalone/server.js was not produced");
  process.exit(1);
}

const server = spawn("node", ["server.js"], {
  cwd: app,
  env: {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    NEXT_TELEMETRY_DISABLED: "1",
    PGLITE_DIR: join(app, "data"),
    LOG_REQUESTS: "false",
  },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});

async function request(path: string, init?: RequestInit) {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, text: await response.text() };
}
const post = (path: string, body: unknown) =>
  request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

try {
  let health = { status: 0, text: "" };
  for (let tries = 0; tries < 120 && health.status !== 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    health = await request("/api/health").catch(() => ({ status: 0, text: "" }));
  }
  if (health.status !== 200) fail(`/api/health did not answer 200 within 60 s (last: ${health.status} ${health.text})`);

  const ingest = await post("/ingest", { content: "The standalone server stores this note about lighthouses." });
  if (ingest.status !== 200) fail(`POST /ingest answered ${ingest.status}: ${ingest.text}`);
  const search = await post("/search", { query: "lighthouse note", top_k: 1 });
  if (search.status !== 200 || !search.text.includes("lighthouses")) fail(`POST /search did not find the note: ${search.status} ${search.text}`);
  const answer = await post("/answer", { query: "What does the standalone server store?" });
  if (answer.status !== 200 || !answer.text.includes("[1]")) fail(`POST /answer did not answer with a citation: ${answer.status} ${answer.text}`);
  for (const page of ["/", "/chat", "/search", "/documents", "/docs"]) {
    const response = await request(page);
    if (response.status !== 200) fail(`GET ${page} answered ${response.status}`);
    // The browser code the page loads must ship too (.next/static, copied separately).
    const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(response.text)?.[1];
    if (!script) fail(`GET ${page} references no script`);
    const loaded = await request(script);
    if (loaded.status !== 200) fail(`GET ${script} (from ${page}) answered ${loaded.status}`);
  }
  const samples = await request("/api/samples", { method: "POST" });
  const queued = samples.status === 202 ? (JSON.parse(samples.text) as { uploads: { document?: unknown }[] }).uploads : [];
  if (queued.length !== 3 || !queued.every((upload) => upload.document)) fail(`POST /api/samples did not queue the three samples: ${samples.status} ${samples.text}`);
  const openapi = await request("/api/openapi.json");
  if (openapi.status !== 200 || !openapi.text.includes('"openapi":"3.1.0"')) fail("GET /api/openapi.json did not serve the document");
  console.log("test:production: the standalone server (what the Docker image runs) started on PGlite, migrated, ingested, searched, answered, loaded the samples and served every page");
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  console.error(`test:production: ${error.message}`);
  process.exitCode = 1;
} finally {
  process.kill(-server.pid!, "SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(app, { recursive: true, force: true });
}
