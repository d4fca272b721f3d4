import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, type PlaywrightTestConfig } from "@playwright/test";
import { CHAT_STANDIN_PORT } from "./e2e/chat-standin";

/**
 * End-to-end: the production build served by `next start`, driven through
 * Debian's Chromium (Playwright's own browser download is not reachable here).
 * One server on the embedded PGlite default, and one on a real PostgreSQL
 * server when TEST_DATABASE_URL gives one.
 */
const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (path): path is string => Boolean(path && existsSync(path)),
);
if (!chromium) {
  throw new Error(
    "Chromium was not found: install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.",
  );
}

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl && process.env.CI) {
  throw new Error("TEST_DATABASE_URL is not set: CI must run the end-to-end tests against a real PostgreSQL server too.");
}

const pglitePort = 3201;
/** The PGlite server runs with an API key (its tests carry it); the PostgreSQL one without, as on a trusted network. */
export const E2E_API_KEY = "e2e-api-key-0123456789abcdef";
const postgresPort = 3202;
/** The PostgreSQL project's database, which e2e/instances.spec.ts opens a second app instance on. */
export const E2E_DATABASE = "pgrag_e2e";

function startCommand(port: number) {
  return `npx next start -p ${port}`;
}

const servers: NonNullable<PlaywrightTestConfig["webServer"]> = [
  {
    command: startCommand(pglitePort),
    url: `http://127.0.0.1:${pglitePort}/api/health`,
    env: {
      PGLITE_DIR: join(mkdtempSync(join(tmpdir(), "pgrag-e2e-")), "pglite"),
      API_KEY: E2E_API_KEY,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    timeout: 120_000,
    reuseExistingServer: false,
  },
];
/** Where the PGlite project's browser keeps the session it signs in for (e2e/sign-in.setup.ts); the same path in every worker. */
export const PGLITE_SESSION_FILE = "playwright/.auth/pglite.json";
const projects: NonNullable<PlaywrightTestConfig["projects"]> = [
  { name: "pglite-sign-in", testMatch: /sign-in\.setup\.ts$/, use: { baseURL: `http://127.0.0.1:${pglitePort}` } },
  {
    name: "pglite",
    dependencies: ["pglite-sign-in"],
    // Several instances share a database only on a server.
    testIgnore: /instances\.spec\.ts$/,
    use: {
      baseURL: `http://127.0.0.1:${pglitePort}`,
      // Scripts send the key; the browser holds the session cookie it got by signing in.
      extraHTTPHeaders: { authorization: `Bearer ${E2E_API_KEY}` },
      storageState: PGLITE_SESSION_FILE,
    },
  },
];

if (serverUrl) {
  const url = new URL(serverUrl);
  url.pathname = `/${E2E_DATABASE}`;
  // Its searches and document reads go to the streaming replica when one runs (.ci/postgres.sh).
  const replica = process.env.TEST_DATABASE_READ_URL ? new URL(process.env.TEST_DATABASE_READ_URL) : undefined;
  if (replica) replica.pathname = `/${E2E_DATABASE}`;
  // The PostgreSQL server's app answers with a language model (a stand-in speaking
  // the OpenAI wire protocol); the PGlite one with the extractive default.
  servers.push({
    command: "npx tsx e2e/chat-standin.ts",
    url: `http://127.0.0.1:${CHAT_STANDIN_PORT}/v1/models`,
    timeout: 30_000,
    reuseExistingServer: false,
  });
  servers.push({
    command: `psql "${serverUrl}" -q -c "drop database if exists ${E2E_DATABASE} with (force)" -c "create database ${E2E_DATABASE}" && ${startCommand(postgresPort)}`,
    url: `http://127.0.0.1:${postgresPort}/api/health`,
    env: {
      DATABASE_URL: url.toString(),
      ...(replica ? { DATABASE_READ_URL: replica.toString() } : {}),
      CHAT_BASE_URL: `http://127.0.0.1:${CHAT_STANDIN_PORT}/v1`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    timeout: 120_000,
    reuseExistingServer: false,
  });
  projects.push({ name: "postgres", use: { baseURL: `http://127.0.0.1:${postgresPort}` } });
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    trace: "off",
  },
  projects,
  webServer: servers,
});
