import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as documentRoute from "@/app/api/documents/[id]/route";
import * as batchDeleteRoute from "@/app/api/documents/batch-delete/route";
import * as documentsRoute from "@/app/api/documents/route";
import * as healthRoute from "@/app/api/health/route";
import * as legacyIngestRoute from "@/app/api/legacy/ingest/route";
import * as legacySearchRoute from "@/app/api/legacy/search/route";
import * as searchRoute from "@/app/api/search/route";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { createOpenAIChatModel } from "@/lib/providers/chat/openai";
import { proxy } from "@/proxy";
import { startOpenAIStandIn, type StandIn } from "../support/openai-standin";
import { engines, freshDatabase } from "../support/databases";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();
let llm: StandIn;
beforeAll(async () => {
  llm = await startOpenAIStandIn({ models: { "llama-3.2-3b-instruct": { reply: "An answer." } } });
});
afterAll(() => llm.close());

const MAX_BYTES = 64 * 1024;

function post(body: unknown, init: { raw?: string; type?: string | null } = {}) {
  const headers = new Headers();
  if (init.type !== null) headers.set("content-type", init.type ?? "application/json");
  return new Request("http://localhost/test", {
    method: "POST",
    headers,
    body: init.raw ?? JSON.stringify(body),
  });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function expectError(response: Response, status: number, code: string, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  if (message) expect(body.error.message).toMatch(message);
}

describe.each(engines)("HTTP routes on %s", (engine) => {
  let context: AppContext;

  beforeAll(async () => {
    const database = await freshDatabase(engine);
    const config = parseConfig({ MAX_REQUEST_BYTES: String(MAX_BYTES) });
    const chat = createOpenAIChatModel({ baseURL: llm.baseURL, apiKey: "lm-studio" });
    context = await createAppContext(config, { database, embedder, chat });
    provideAppContext(Promise.resolve(context));
  });
  afterAll(async () => {
    await context.stopWorkers();
    await context.database.close();
  });

  describe("the original contract", () => {
    it("POST /ingest stores text and POST /search finds it first with its similarity", async () => {
      const ingest = await legacyIngestRoute.POST(post({ content: "Postgres with pgvector is excellent for RAG systems" }));
      expect(ingest.status).toBe(200);
      const ingested = await ingest.json();
      expect(ingested).toEqual({ status: "ok", id: expect.any(Number), chunks: 1, duplicate: false });
      await legacyIngestRoute.POST(post({ content: "Bananas are rich in potassium and easy to carry." }));

      const search = await legacySearchRoute.POST(post({ query: "What is pgvector used for?", top_k: 3 }));
      expect(search.status).toBe(200);
      const body = await search.json();
      expect(Object.keys(body)).toEqual(["results"]);
      expect(body.results).toHaveLength(2);
      for (const result of body.results) {
        expect(Object.keys(result).sort()).toEqual(["content", "document_id", "id", "similarity"]);
      }
      expect(body.results[0]).toMatchObject({
        document_id: ingested.id,
        content: "Postgres with pgvector is excellent for RAG systems",
      });
      expect(body.results[0].similarity).toBeGreaterThan(body.results[1].similarity);
      expect(body.results[0].similarity).toBeLessThanOrEqual(1);
    });

    it("defaults top_k to 5 and accepts up to 100", async () => {
      for (let i = 0; i < 6; i++) {
        await legacyIngestRoute.POST(post({ content: `Filler note number ${i} about gardening.` }));
      }
      const search = await legacySearchRoute.POST(post({ query: "gardening" }));
      expect((await search.json()).results).toHaveLength(5);
      const all = await legacySearchRoute.POST(post({ query: "gardening", top_k: 100 }));
      expect((await all.json()).results.length).toBeGreaterThan(5);
    });

    it("answers a second identical /ingest with the same id, marked duplicate", async () => {
      const first = await (await legacyIngestRoute.POST(post({ content: "Once only." }))).json();
      const second = await (await legacyIngestRoute.POST(post({ content: "Once only." }))).json();
      expect(second).toEqual({ ...first, duplicate: true });
    });

    it("turns every kind of bad input into a 4xx with a readable message", async () => {
      await expectError(await legacyIngestRoute.POST(post({})), 422, "invalid_request", /^content is required$/);
      await expectError(await legacyIngestRoute.POST(post({ content: "   " })), 422, "invalid_request", /content must not be empty/);
      await expectError(await legacyIngestRoute.POST(post({ content: 42 })), 422, "invalid_request", /content must be a string/);
      await expectError(await legacyIngestRoute.POST(post({ content: "\u200B" })), 422, "empty_content");
      await expectError(await legacyIngestRoute.POST(post(null, { raw: "{not json" })), 400, "invalid_json", /not valid JSON/);
      await expectError(await legacyIngestRoute.POST(post(null, { raw: "" })), 400, "empty_body");
      await expectError(await legacyIngestRoute.POST(post(null, { raw: "[1,2]" })), 422, "invalid_body");
      await expectError(await legacyIngestRoute.POST(post({ content: "x" }, { type: "text/plain" })), 415, "unsupported_media_type");
      await expectError(
        await legacyIngestRoute.POST(post({ content: "x".repeat(MAX_BYTES) })),
        413,
        "payload_too_large",
        /MAX_REQUEST_BYTES/,
      );
      const binary = new Request("http://localhost/test", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Uint8Array([0xff, 0xfe, 0x00, 0x81]),
      });
      await expectError(await legacyIngestRoute.POST(binary), 400, "invalid_encoding");

      await expectError(await legacySearchRoute.POST(post({ query: "x", top_k: 0 })), 422, "invalid_request", /at least 1/);
      await expectError(await legacySearchRoute.POST(post({ query: "x", top_k: 101 })), 422, "invalid_request", /at most 100/);
      await expectError(await legacySearchRoute.POST(post({ query: "x", top_k: 2.5 })), 422, "invalid_request", /whole number/);
      await expectError(await legacySearchRoute.POST(post({ query: "x", top_k: "3" })), 422, "invalid_request", /must be a number/);
      await expectError(await legacySearchRoute.POST(post({ top_k: 3 })), 422, "invalid_request", /query is required/);
    });

    it("reads JSON only when it is sent as JSON: a form's or plain text's type is what a page on any site may send unasked", async () => {
      for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "text/plain;charset=UTF-8", null]) {
        await expectError(await legacySearchRoute.POST(post({ query: "pgvector" }, { type })), 415, "unsupported_media_type", /Content-Type: application\/json/);
      }
      expect((await legacySearchRoute.POST(post({ query: "pgvector" }, { type: "application/json; charset=utf-8" }))).status).toBe(200);
      expect((await legacySearchRoute.POST(post({ query: "pgvector" }, { type: "application/vnd.api+json" }))).status).toBe(200);
    });
  });

  describe("/api", () => {
    it("creates, lists, reads and deletes documents", async () => {
      const created = await documentsRoute.POST(
        post({ content: "Saturn's rings are made mostly of ice particles.", title: "Saturn", metadata: { tag: "space" } }),
      );
      expect(created.status).toBe(201);
      const { document, duplicate } = await created.json();
      expect(duplicate).toBe(false);
      expect(document).toMatchObject({ title: "Saturn", source: "api", status: "ready", chunk_count: 1 });

      const again = await documentsRoute.POST(post({ content: "Saturn's rings are made mostly of ice particles." }));
      expect(again.status).toBe(200);
      expect((await again.json()).duplicate).toBe(true);

      const list = await (await documentsRoute.GET(new Request("http://localhost/api/documents?limit=2"))).json();
      expect(list.documents).toHaveLength(2);
      expect(list.documents[0].id).toBe(document.id);
      expect(list.total).toBeGreaterThan(2);

      const read = await documentRoute.GET(new Request("http://localhost"), params(String(document.id)));
      const full = (await read.json()).document;
      expect(full).toMatchObject({ id: document.id, metadata: { tag: "space" } });
      expect(full.chunks).toEqual([
        {
          id: expect.any(Number),
          ordinal: 0,
          content: "Saturn's rings are made mostly of ice particles.",
          token_count: expect.any(Number),
          location: {},
          code: [],
        },
      ]);

      const deleted = await documentRoute.DELETE(new Request("http://localhost"), params(String(document.id)));
      expect(deleted.status).toBe(204);
      await expectError(await documentRoute.DELETE(new Request("http://localhost"), params(String(document.id))), 404, "not_found");
      await expectError(await documentRoute.GET(new Request("http://localhost"), params(String(document.id))), 404, "not_found");
      await expectError(await documentRoute.GET(new Request("http://localhost"), params("abc")), 422, "invalid_request");
      await expectError(await documentsRoute.GET(new Request("http://localhost/api/documents?limit=0")), 422, "invalid_request");
      await expectError(await documentsRoute.POST(post({ content: "x", metadata: [1] })), 422, "invalid_request", /metadata/);
    });

    it("sorts the library, renames a document where search shows it, and deletes several at once", async () => {
      const stamp = Date.now();
      const ids: number[] = [];
      for (const [title, content] of [
        ["b quartz", `Quartz clocks keep time with a crystal that rings at 32,768 Hz. ${stamp}`],
        ["A agate", `Agate forms in layers inside volcanic rock, band by band. ${stamp} ${"and slowly ".repeat(20)}`],
        ["c basalt", `Basalt cools quickly from lava into dark, fine-grained stone. ${stamp}`],
      ]) {
        ids.push((await (await documentsRoute.POST(post({ title, content }))).json()).document.id);
      }
      const listed = async (sort: string) => {
        const body = await (await documentsRoute.GET(new Request(`http://localhost/api/documents?limit=200&sort=${sort}`))).json();
        return (body.documents as { id: number }[]).map((d) => d.id).filter((id) => ids.includes(id));
      };
      expect(await listed("newest")).toEqual([ids[2], ids[1], ids[0]]);
      expect(await listed("oldest")).toEqual(ids);
      // Case does not decide the order: "A agate" before "b quartz".
      expect(await listed("title")).toEqual([ids[1], ids[0], ids[2]]);
      expect((await listed("largest"))[0]).toBe(ids[1]);

      const renaming = new Request("http://localhost", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "  Clocks\nand crystals " }) });
      const renamed = await documentRoute.PATCH(renaming, params(String(ids[0])));
      expect(renamed.status).toBe(200);
      expect((await renamed.json()).document).toMatchObject({ id: ids[0], title: "Clocks and crystals" });
      const hits = await (await searchRoute.POST(post({ query: `quartz crystal ${stamp}`, mode: "keyword", top_k: 1 }))).json();
      expect(hits.results[0]).toMatchObject({ document_id: ids[0], document_title: "Clocks and crystals" });

      const gone = await batchDeleteRoute.POST(post({ ids: [ids[0], ids[2], 2_000_000_000] }));
      expect(gone.status).toBe(200);
      expect(await gone.json()).toEqual({ deleted: [ids[0], ids[2]] });
      expect(await listed("newest")).toEqual([ids[1]]);
      await expectError(await documentRoute.PATCH(new Request("http://localhost", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "x" }) }), params(String(ids[0]))), 404, "not_found");
    });

    it("searches by text or by vector, and refuses a vector of the wrong dimension", async () => {
      const byText = await (await searchRoute.POST(post({ query: "What is pgvector used for?", top_k: 2 }))).json();
      expect(byText.model).toBe("all-MiniLM-L6-v2");
      expect(byText.results[0]).toMatchObject({
        content: "Postgres with pgvector is excellent for RAG systems",
        ordinal: 0,
        document_title: "Postgres with pgvector is excellent for RAG systems",
      });
      const vector = await embedder.embedQuery("What is pgvector used for?");
      const byVector = await (await searchRoute.POST(post({ embedding: vector, top_k: 2 }))).json();
      expect(byVector.results.map((r: { chunk_id: number }) => r.chunk_id)).toEqual(
        byText.results.map((r: { chunk_id: number }) => r.chunk_id),
      );
      await expectError(
        await searchRoute.POST(post({ embedding: [0.1, 0.2] })),
        422,
        "dimension_mismatch",
        /2 dimensions, but the embedding model all-MiniLM-L6-v2 makes 384-dimensional vectors/,
      );
      await expectError(await searchRoute.POST(post({ query: "x", embedding: vector })), 422, "invalid_request", /either query/);
      await expectError(await searchRoute.POST(post({ embedding: ["a"] })), 422, "invalid_request", /only numbers/);
    });

    it("reports engine, pgvector, embedder and counts on /api/health", async () => {
      const response = await healthRoute.GET();
      expect(response.status).toBe(200);
      const health = await response.json();
      expect(health).toMatchObject({
        status: "ok",
        database: { engine, pgvector: expect.stringMatching(/^0\.8\./) },
        embedder: { provider: "local", model: "all-MiniLM-L6-v2", dimensions: 384, ready: true },
        chat: { baseURL: llm.baseURL, model: "llama-3.2-3b-instruct", reachable: true },
      });
      expect(health.counts.documents).toBeGreaterThan(0);
      expect(health.counts.embeddings).toBe(health.counts.chunks);
      expect(health.models).toEqual([
        { provider: "local", name: "all-MiniLM-L6-v2", dimensions: 384, embeddings: health.counts.embeddings, active: true },
      ]);
    });
  });
});

describe("proxy.ts", () => {
  it("routes the original POST /ingest and POST /search to their handlers and leaves GET alone", async () => {
    const rewrite = async (method: string, path: string) =>
      (await proxy(new NextRequest(`http://localhost${path}`, { method }))).headers.get("x-middleware-rewrite");
    expect(await rewrite("POST", "/ingest")).toBe("http://localhost/api/legacy/ingest");
    expect(await rewrite("POST", "/search")).toBe("http://localhost/api/legacy/search");
    expect(await rewrite("GET", "/search")).toBeNull();
  });
});
