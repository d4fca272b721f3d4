import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatRoute from "@/app/api/chat/route";
import * as conversationRoute from "@/app/api/conversations/[id]/route";
import * as conversationsRoute from "@/app/api/conversations/route";
import * as documentRoute from "@/app/api/documents/[id]/route";
import * as retryRoute from "@/app/api/documents/[id]/retry/route";
import * as batchDeleteRoute from "@/app/api/documents/batch-delete/route";
import * as documentsRoute from "@/app/api/documents/route";
import * as legacyAnswerRoute from "@/app/api/legacy/answer/route";
import * as legacyIngestRoute from "@/app/api/legacy/ingest/route";
import * as legacySearchRoute from "@/app/api/legacy/search/route";
import * as searchRoute from "@/app/api/search/route";
import * as sessionRoute from "@/app/api/session/route";
import * as completionsRoute from "@/app/v1/chat/completions/route";
import { queryRows } from "@/lib/db/client";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { engines, freshDatabase } from "../support/databases";
import { blankPagesPdf, zipBombDocx } from "../support/fixtures";
import { testEmbedder } from "../support/embedder";

/**
 * Bad input across every endpoint: each must get the right 4xx with a
 * sentence a person can act on, never a 500 and never a hang.
 */

const embedder = testEmbedder();

const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_UPLOAD_BYTES = 1024 * 1024;

function json(body: unknown, options: { raw?: string | Uint8Array; type?: string; method?: string } = {}) {
  return new Request("http://localhost/test", {
    method: options.method ?? "POST",
    headers: { "content-type": options.type ?? "application/json" },
    body: (options.raw ?? JSON.stringify(body)) as BodyInit,
  });
}

function upload(name: string, bytes: Uint8Array | string) {
  const form = new FormData();
  form.append("file", new Blob([bytes as BlobPart]), name);
  return new Request("http://localhost/api/documents", { method: "POST", body: form });
}

function uploadWith(name: string, bytes: string, fields: Record<string, string>) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return new Request("http://localhost/api/documents", { method: "POST", body: form });
}

const id = (value: string) => ({ params: Promise.resolve({ id: value }) });
const get = (path = "/test") => new Request(`http://localhost${path}`);

/** The document once processing has ended (or a minute has passed). */
async function settled(documentId: number): Promise<{ status: string; error: string | null; chunk_count: number }> {
  const started = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { document } = await (await documentRoute.GET(get(), id(String(documentId)))).json();
    if (document.status === "failed" || document.status === "ready" || Date.now() - started >= 60_000) return document;
  }
}

type Case = [name: string, call: () => Promise<Response>, status: number, message: RegExp];

const NO_HANG_MS = 20_000;

describe.each(engines)("bad input on %s", (engine) => {
  let context: AppContext;
  let zipBomb: Uint8Array;
  let blankPdf: Uint8Array;

  beforeAll(async () => {
    const database = await freshDatabase(engine);
    const config = parseConfig({
      MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES),
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      CHAT_PROVIDER: "extractive",
    });
    context = await createAppContext(config, { database, embedder });
    provideAppContext(Promise.resolve(context));
    await legacyIngestRoute.POST(json({ content: "The lighthouse keeper logs every passing ship in the harbour book." }));
    zipBomb = zipBombDocx(300 * 1024 * 1024);
    blankPdf = await blankPagesPdf(3000);
  });
  afterAll(async () => {
    await context.stopWorkers();
    await context.database.close();
  });

  const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const cases: Case[] = [
    // The original demo's endpoints
    ["/ingest: an empty body", () => legacyIngestRoute.POST(json(null, { raw: "" })), 400, /body is empty/],
    ["/ingest: malformed JSON", () => legacyIngestRoute.POST(json(null, { raw: '{"content": "unclosed' })), 400, /not valid JSON/],
    ["/ingest: a JSON array instead of an object", () => legacyIngestRoute.POST(json([1, 2])), 422, /must be a JSON object/],
    ["/ingest: missing content", () => legacyIngestRoute.POST(json({})), 422, /content is required/],
    ["/ingest: content of the wrong type", () => legacyIngestRoute.POST(json({ content: { text: "x" } })), 422, /content must be a string/],
    ["/ingest: blank content", () => legacyIngestRoute.POST(json({ content: " \n\t " })), 422, /content must not be empty/],
    ["/ingest: only invisible characters", () => legacyIngestRoute.POST(json({ content: "\u200b\u200d\ufeff" })), 422, /empty/],
    ["/ingest: NUL bytes only", () => legacyIngestRoute.POST(json({ content: "\u0000\u0000" })), 422, /empty/],
    ["/ingest: a body over the limit", () => legacyIngestRoute.POST(json({ content: "x".repeat(MAX_REQUEST_BYTES) })), 413, /MAX_REQUEST_BYTES/],
    ["/ingest: invalid UTF-8", () => legacyIngestRoute.POST(json(null, { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) })), 400, /not UTF-8/],
    ["/ingest: plain text instead of JSON", () => legacyIngestRoute.POST(json(null, { raw: "hello", type: "text/plain" })), 415, /Content-Type: application\/json/],
    ["/ingest: an array nested 100,000 deep", () => legacyIngestRoute.POST(json(null, { raw: deep(100_000) })), 422, /must be a JSON object/],
    ["/ingest: content nested 100,000 deep", () => legacyIngestRoute.POST(json(null, { raw: `{"content": ${deep(100_000)}}` })), 422, /content must be a string/],
    ["/search: top_k of -1", () => legacySearchRoute.POST(json({ query: "ships", top_k: -1 })), 422, /top_k must be at least 1/],
    ["/search: top_k of 10^9", () => legacySearchRoute.POST(json({ query: "ships", top_k: 1e9 })), 422, /top_k must be at most 100/],
    ["/search: top_k as a string", () => legacySearchRoute.POST(json({ query: "ships", top_k: "5" })), 422, /top_k must be a number/],
    ["/search: missing query", () => legacySearchRoute.POST(json({ top_k: 3 })), 422, /query is required/],
    ["/answer: top_k of 10^9", () => legacyAnswerRoute.POST(json({ query: "ships", top_k: 1e9 })), 422, /top_k must be at most 100/],
    ["/answer: a 9,000-character question", () => legacyAnswerRoute.POST(json({ query: "why ".repeat(2250) })), 422, /at most 8000 characters/],
    // Search
    ["/api/search: neither query nor embedding", () => searchRoute.POST(json({ top_k: 3 })), 422, /either query \(text\) or embedding/],
    ["/api/search: both query and embedding", () => searchRoute.POST(json({ query: "x", embedding: [0.1] })), 422, /not both/],
    ["/api/search: a vector of the wrong dimension", () => searchRoute.POST(json({ embedding: [0.1, 0.2, 0.3] })), 422, /384/],
    ["/api/search: a vector of strings", () => searchRoute.POST(json({ embedding: ["a", "b"] })), 422, /only numbers/],
    ["/api/search: an unknown mode", () => searchRoute.POST(json({ query: "x", mode: "fuzzy" })), 422, /hybrid, semantic or keyword/],
    ["/api/search: filters that are not an object", () => searchRoute.POST(json({ query: "x", filters: "pdf" })), 422, /filters must be an object/],
    ["/api/search: an unknown file type filter", () => searchRoute.POST(json({ query: "x", filters: { formats: ["exe"] } })), 422, /must be one of text, markdown/],
    ["/api/search: an impossible date", () => searchRoute.POST(json({ query: "x", filters: { created_after: "2026-02-30" } })), 422, /must be a date such as/],
    ["/api/search: an unknown filter", () => searchRoute.POST(json({ query: "x", filters: { owner: "me" } })), 422, /unknown field "owner" in filters/],
    // Documents
    ["/api/documents: a title of 501 characters", () => documentsRoute.POST(json({ content: "x", title: "t".repeat(501) })), 422, /title must be at most 500/],
    ["/api/documents: metadata that is an array", () => documentsRoute.POST(json({ content: "x", metadata: [1] })), 422, /metadata must be an object/],
    ["/api/documents: a limit of 0", () => documentsRoute.GET(get("/api/documents?limit=0")), 422, /limit|at least|too small/i],
    ["/api/documents: an unknown status filter", () => documentsRoute.GET(get("/api/documents?status=lost")), 422, /status must be one of queued, parsing/],
    ["/api/documents: a file that is binary data named .txt", () => documentsRoute.POST(upload("notes.txt", new Uint8Array([0, 1, 2, 3, 0xff, 0xfe]))), 415, /binary data/],
    ["/api/documents: a PNG named .pdf", () => documentsRoute.POST(upload("report.pdf", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))), 415, /PNG image/],
    ["/api/documents: an executable", () => documentsRoute.POST(upload("setup.txt", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]))), 415, /executable/],
    ["/api/documents: an unsupported extension", () => documentsRoute.POST(upload("slides.key", "plain words")), 415, /not a supported file type/],
    ["/api/documents: an empty file", () => documentsRoute.POST(upload("empty.txt", "")), 422, /empty/],
    ["/api/documents: a file over MAX_UPLOAD_BYTES", () => documentsRoute.POST(upload("big.txt", "a".repeat(MAX_UPLOAD_BYTES + 1))), 413, /MAX_UPLOAD_BYTES|larger/],
    ["/api/documents: a zip bomb in a .docx", () => documentsRoute.POST(upload("bomb.docx", zipBomb)), 413, /zip bomb/],
    ["/api/documents: a multipart request without a file", () => documentsRoute.POST(new Request("http://localhost/api/documents", { method: "POST", body: new FormData() })), 422, /holds no files/],
    ["/api/documents/:id: an id that is not a number", () => documentRoute.GET(get(), id("abc")), 422, /document id must be a number/],
    ["/api/documents/:id: a negative id", () => documentRoute.GET(get(), id("-1")), 422, /must be positive/],
    ["/api/documents/:id: an unknown id", () => documentRoute.GET(get(), id("99999999")), 404, /no document 99999999/],
    ["/api/documents/:id: deleting an unknown id", () => documentRoute.DELETE(get(), id("99999999")), 404, /no document 99999999/],
    ["/api/documents: an unknown sort", () => documentsRoute.GET(get("/api/documents?sort=random")), 422, /sort must be one of newest, oldest, title, largest/],
    ["/api/documents/:id: a rename to a blank title", () => documentRoute.PATCH(json({ title: "  " }, { method: "PATCH" }), id("1")), 422, /title must not be empty/],
    ["/api/documents/:id: a rename with another field", () => documentRoute.PATCH(json({ title: "x", status: "ready" }, { method: "PATCH" }), id("1")), 422, /unknown field "status": remove it/],
    ["/api/documents/:id: renaming an unknown id", () => documentRoute.PATCH(json({ title: "x" }, { method: "PATCH" }), id("99999999")), 404, /no document 99999999/],
    ["/api/documents/batch-delete: no ids", () => batchDeleteRoute.POST(json({ ids: [] })), 422, /ids must name at least one document/],
    ["/api/documents/batch-delete: ids that are not an array", () => batchDeleteRoute.POST(json({ ids: "1,2" })), 422, /ids must be an array of document ids/],
    ["/api/documents/batch-delete: 201 ids", () => batchDeleteRoute.POST(json({ ids: Array.from({ length: 201 }, (_, i) => i + 1) })), 422, /at most 200 documents/],
    ["/api/documents/batch-delete: an id past PostgreSQL's integer", () => batchDeleteRoute.POST(json({ ids: [2147483648] })), 422, /at most 2147483647/],
    ["/api/documents/:id/retry: an unknown id", () => retryRoute.POST(get(), id("99999999")), 404, /no document|99999999/],
    // Chat
    ["/api/chat: nothing to answer", () => chatRoute.POST(json({})), 422, /send a message, or regenerate/],
    ["/api/chat: an extra field", () => chatRoute.POST(json({ message: "hi", model: "gpt-4" })), 422, /unknown field "model": remove it/],
    ["/api/chat: an unknown conversation", () => chatRoute.POST(json({ message: "hi", conversation_id: 99999999 })), 404, /no conversation 99999999/],
    ["/api/chat: unknown documents", () => chatRoute.POST(json({ message: "hi", document_ids: [99999999] })), 404, /no document 99999999/],
    ["/api/conversations: a title of 201 characters", () => conversationsRoute.POST(json({ title: "t".repeat(201) })), 422, /at most 200 characters/],
    ["/api/conversations/:id: a rename with nothing", () => conversationRoute.PATCH(json({}, { method: "PATCH" }), id("1")), 422, /send a new title, document_ids, or both/],
    ["/api/conversations/:id: an id of 1.5", () => conversationRoute.GET(get(), id("1.5")), 422, /whole number/],
    ["/v1/chat/completions: no messages", () => completionsRoute.POST(json({ model: "pgrag", messages: [] })), 422, /messages must not be empty/],
    ["/v1/chat/completions: messages that are not an array", () => completionsRoute.POST(json({ messages: "hi" })), 422, /messages must be an array/],
    ["/v1/chat/completions: an unknown role", () => completionsRoute.POST(json({ messages: [{ role: "wizard", content: "hi" }] })), 422, /role must be system, user or assistant/],
    ["/v1/chat/completions: no question at the end", () => completionsRoute.POST(json({ messages: [{ role: "assistant", content: "hello" }] })), 422, /last message must be the user's question/],
    ["/v1/chat/completions: a temperature of 5", () => completionsRoute.POST(json({ messages: [{ role: "user", content: "hi" }], temperature: 5 })), 422, /temperature|2/],
    ["/api/session: no key", () => sessionRoute.POST(json({})), 422, /api_key is required/],
    // Values PostgreSQL cannot hold, refused by their schema rather than by the database (each was a 500)
    ["/api/documents/:id: an id past PostgreSQL's integer", () => documentRoute.GET(get(), id("2147483648")), 422, /document id must be at most 2147483647/],
    ["/api/documents/:id: a hexadecimal id", () => documentRoute.GET(get(), id("0x2")), 422, /document id must be a number/],
    ["/api/documents/:id: an id in exponent notation", () => documentRoute.GET(get(), id("1e3")), 422, /document id must be a number/],
    ["/api/documents/:id: an id with a space", () => documentRoute.GET(get(), id(" 2")), 422, /document id must be a number/],
    ["/api/documents/:id: an id of 0", () => documentRoute.GET(get(), id("0")), 422, /must be positive/],
    ["/api/documents/:id/retry: an id past PostgreSQL's integer", () => retryRoute.POST(get(), id("9999999999")), 422, /at most 2147483647/],
    ["/api/conversations/:id: an id past PostgreSQL's integer", () => conversationRoute.GET(get(), id("2147483648")), 422, /conversation id must be at most 2147483647/],
    ["/api/search: a document filter past PostgreSQL's integer", () => searchRoute.POST(json({ query: "x", filters: { document_ids: [2147483648] } })), 422, /at most 2147483647/],
    ["/api/search: a date in the year 0", () => searchRoute.POST(json({ query: "x", filters: { created_after: "0000-01-01" } })), 422, /between the years 1 and 9999/],
    ["/api/search: a NUL in the query", () => searchRoute.POST(json({ query: "ships\u0000" })), 422, /query must not contain NUL/],
    ["/api/search: a lone surrogate in the query", () => searchRoute.POST(json(null, { raw: '{"query": "ships \\ud800"}' })), 422, /broken Unicode/],
    ["/api/search: a query of 2,001 characters", () => searchRoute.POST(json({ query: "a".repeat(2001) })), 422, /query must be at most 2000 characters/],
    ["/search: a query of 2,001 characters", () => legacySearchRoute.POST(json({ query: "a".repeat(2001) })), 422, /query must be at most 2000 characters/],
    ["/api/search: a vector value past single precision", () => searchRoute.POST(json(null, { raw: `{"embedding": [1e39${",0.1".repeat(383)}]}` })), 422, /between -1e38 and 1e38/],
    ["/api/search: an all-zero vector", () => searchRoute.POST(json({ embedding: new Array(384).fill(0) })), 422, /must not be all zeros/],
    ["/api/documents: a NUL in the title", () => documentsRoute.POST(json({ content: "x", title: "a\u0000b" })), 422, /title must not contain NUL/],
    ["/api/documents: a NUL in the source", () => documentsRoute.POST(json({ content: "x", source: "a\u0000b" })), 422, /source must not contain NUL/],
    ["/api/documents: a lone surrogate in metadata", () => documentsRoute.POST(json(null, { raw: '{"content": "x", "metadata": {"k": "\\udc00"}}' })), 422, /metadata must not contain NUL characters or broken Unicode/],
    ["/api/documents: a NUL in a metadata key", () => documentsRoute.POST(json({ content: "x", metadata: { "a\u0000": 1 } })), 422, /metadata must not contain NUL/],
    ["/api/documents: metadata nested 10,000 deep", () => documentsRoute.POST(json(null, { raw: `{"content": "x", "metadata": {"a": ${deep(10_000)}}}` })), 422, /at most 8 deep/],
    ["/api/documents: metadata of 20,000 characters", () => documentsRoute.POST(json({ content: "x", metadata: { notes: "n".repeat(20_000) } })), 422, /metadata must be at most 16 KB/],
    ["/api/documents: a search of the list with a NUL", () => documentsRoute.GET(get("/api/documents?q=a%00b")), 422, /q must not contain NUL/],
    ["/api/documents: an upload titled with a NUL", () => documentsRoute.POST(uploadWith("notes.txt", "plain words", { title: "a\u0000b" })), 422, /title must not contain NUL/],
    ["/api/chat: a NUL in the message", () => chatRoute.POST(json({ message: "hi\u0000" })), 422, /message must not contain NUL/],
    ["/api/chat: a conversation id past PostgreSQL's integer", () => chatRoute.POST(json({ message: "hi", conversation_id: 2147483648 })), 422, /conversation_id must be at most 2147483647/],
    ["/api/chat: a document id past PostgreSQL's integer", () => chatRoute.POST(json({ message: "hi", document_ids: [2147483648] })), 422, /at most 2147483647/],
    ["/api/conversations: a NUL in the title", () => conversationsRoute.POST(json({ title: "a\u0000b" })), 422, /title must not contain NUL/],
    ["/answer: a NUL in the question", () => legacyAnswerRoute.POST(json({ query: "why\u0000" })), 422, /query must not contain NUL/],
    ["/v1/chat/completions: a NUL in a message", () => completionsRoute.POST(json({ messages: [{ role: "user", content: "hi\u0000" }] })), 422, /messages must not contain NUL/],
    ["/v1/chat/completions: a NUL in a text part", () => completionsRoute.POST(json({ messages: [{ role: "user", content: [{ type: "text", text: "hi\u0000" }] }] })), 422, /messages must not contain NUL/],
  ];

  it(`answers each of ${cases.length} bad inputs with its 4xx and a readable sentence, never a 500 or a hang`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(88);
    const stored = () =>
      queryRows<{ documents: number; conversations: number }>(
        context.database.db,
        sql`select (select count(*)::int from documents) as documents, (select count(*)::int from conversations) as conversations`,
      );
    const before = await stored();
    const failures: string[] = [];
    for (const [name, call, status, message] of cases) {
      const response = await Promise.race([
        call(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${name}: no answer in ${NO_HANG_MS} ms`)), NO_HANG_MS)),
      ]);
      const body = (await response.json()) as { error?: { message: string }; uploads?: { error?: { message: string } }[] };
      // An upload reports each file's refusal beside its name.
      const text = body.error?.message ?? body.uploads?.[0]?.error?.message ?? "";
      const readable = /^[A-Za-z0-9/_.[\]"'“]/.test(text) && text.length >= 12 && !/\bat \w+ \(|undefined|\[object|Error:/.test(text);
      if (response.status !== status || !message.test(text) || !readable) {
        failures.push(`${name}: got ${response.status} ${JSON.stringify(body)}; wanted ${status} matching ${message}`);
      }
    }
    expect(failures).toEqual([]);
    // A refused request stores nothing.
    expect(await stored()).toEqual(before);
  });

  it("treats SQL injection as ordinary text: answered, stored as written, and nothing else changes", async () => {
    const before = await queryRows<{ n: number }>(context.database.db, sql`select count(*)::int as n from documents`);
    for (const query of ["'; DROP TABLE documents; --", "\" OR 1=1 --", "ships') UNION SELECT password FROM users --", "\\'; select pg_sleep(30); --"]) {
      for (const response of [
        await legacySearchRoute.POST(json({ query, top_k: 3 })),
        await searchRoute.POST(json({ query, mode: "keyword" })),
        await searchRoute.POST(json({ query })),
      ]) {
        expect(response.status).toBe(200);
      }
    }
    const stored = await legacyIngestRoute.POST(json({ content: "Robert'); DROP TABLE chunks;-- is a student." }));
    expect(stored.status).toBe(200);
    const after = await queryRows<{ n: number }>(context.database.db, sql`select count(*)::int as n from documents`);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    const found = await legacySearchRoute.POST(json({ query: "Robert'); DROP TABLE chunks;--", top_k: 1 }));
    expect((await found.json()).results[0].content).toBe("Robert'); DROP TABLE chunks;-- is a student.");
  });

  it("fails a zip bomb whose directory lies about its size by the bytes it actually inflates, and stores none of it", async () => {
    // Declares 1,000 bytes and holds 300 MB: the check at upload believes it; reading it must not.
    const response = await documentsRoute.POST(upload("liar.docx", zipBombDocx(300 * 1024 * 1024, 1000)));
    expect(response.status).toBe(202);
    const documentId = (await response.json()).uploads[0].document.id as number;
    const memoryBefore = process.memoryUsage().rss;
    const document = await settled(documentId);
    expect(document.status).toBe("failed");
    expect(document.error).toMatch(/liar\.docx unpacks to more than 200 MB.*zip bomb/);
    expect(document.chunk_count).toBe(0);
    // Counted and thrown away a chunk at a time, never held: far less than the 300 MB inside.
    expect(process.memoryUsage().rss - memoryBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it("fails a PDF of 3,000 blank pages with the reason, quickly, and stores none of it", async () => {
    const response = await documentsRoute.POST(upload("blank.pdf", blankPdf));
    expect(response.status).toBe(202);
    const documentId = (await response.json()).uploads[0].document.id as number;
    const document = await settled(documentId);
    expect(document.status).toBe("failed");
    expect(document.error).toMatch(/no extractable text/);
    expect(document.chunk_count).toBe(0);
  });
});
