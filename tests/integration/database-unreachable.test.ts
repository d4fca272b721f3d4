import { createServer, connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import * as legacyIngestRoute from "@/app/api/legacy/ingest/route";
import * as searchRoute from "@/app/api/search/route";
import { ConfigError, parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext } from "@/lib/context";
import { openDatabase } from "@/lib/db/client";
import { engines, freshDatabase, migrationsDir } from "../support/databases";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();

/**
 * A TCP relay in front of a PostgreSQL server that can turn into a black hole:
 * connections are accepted and never answered, as with a server stuck
 * half-way through a restart or a firewall that drops packets.
 */
async function relay(target?: URL) {
  let silent = !target;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    if (silent || !target) return;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const dropAll = () => sockets.forEach((socket) => socket.destroy());
  return {
    url(path = "/postgres") {
      const url = new URL(target ?? "postgres://postgres@127.0.0.1/postgres");
      url.host = `127.0.0.1:${port}`;
      url.pathname = path;
      return url.toString();
    },
    blackHole() {
      silent = true;
      dropAll();
    },
    forward() {
      silent = false;
      dropAll();
    },
    close: () => {
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const post = (body: unknown) =>
  new Request("http://localhost/test", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("a PostgreSQL address that accepts connections and never answers", () => {
  it("is refused at startup with a sentence saying what to do, not waited on forever", async () => {
    const blackHole = await relay();
    try {
      const refused = await openDatabase({ url: blackHole.url(), pgliteDir: "unused", migrationsDir }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toMatch(/Cannot connect to the PostgreSQL server in DATABASE_URL .*timeout.*Start the server, fix DATABASE_URL/);
    } finally {
      await blackHole.close();
    }
  }, 60_000);

  it.runIf(engines.includes("postgres"))(
    "answers searches with a 503 while the server is silent instead of holding them, and serves again when it answers",
    async () => {
      const scratch = await freshDatabase("postgres");
      const path = new URL(scratch.location).pathname;
      const link = await relay(new URL(scratch.location));
      const database = await openDatabase({ url: link.url(path), pgliteDir: "unused", migrationsDir });
      const context = await createAppContext(parseConfig({}), { database, embedder });
      provideAppContext(Promise.resolve(context));
      const searchStatus = async () => (await searchRoute.POST(post({ query: "when did the ferry leave" }))).status;
      try {
        expect((await legacyIngestRoute.POST(post({ content: "The ferry left the harbour at six." }))).status).toBe(200);
        expect(await searchStatus()).toBe(200);

        link.blackHole();
        // Let the pool notice its connections are gone, so the search needs a new one.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const response = await searchRoute.POST(post({ query: "when did the ferry leave" }));
        expect(response.status).toBe(503);
        expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/database connection was lost/);

        link.forward();
        await expect.poll(searchStatus, { timeout: 30_000, interval: 500 }).toBe(200);
      } finally {
        await context.stopWorkers();
        await database.close();
        await link.close();
        await scratch.close();
      }
    },
    90_000,
  );
});
