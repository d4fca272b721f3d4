import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as documentRoute from "@/app/api/documents/[id]/route";
import * as retryRoute from "@/app/api/documents/[id]/retry/route";
import * as eventsRoute from "@/app/api/documents/events/route";
import * as documentsRoute from "@/app/api/documents/route";
import * as searchRoute from "@/app/api/search/route";
import type { DocumentDetailJson, UploadResponse } from "@/lib/api/schemas";
import { parseConfig } from "@/lib/config";
import { createAppContext, ingestDependencies, provideAppContext, type AppContext } from "@/lib/context";
import { claim, enqueue, reportProgress } from "@/lib/ingest/queue";
import { queueUploads } from "@/lib/ingest/uploads";
import { startIngestWorker } from "@/lib/ingest/worker";
import { chunks, documents, documentSources } from "@/lib/db/schema";
import type { Embedder } from "@/lib/providers/embedding";
import { engines, freshDatabase } from "../support/databases";
import { csvFixture, docxFixture, htmlFixture, markdownFixture, pdfFixture } from "../support/fixtures";
import { testEmbedder } from "../support/embedder";

const realEmbedder = testEmbedder();
/** Flipped by a test to make the embedder fail, as a model server going down would. */
let embedderDown = false;
const embedder: Embedder = {
  ...realEmbedder,
  embedDocuments: (texts, onProgress) =>
    embedderDown ? Promise.reject(new Error("the embedding server went away")) : realEmbedder.embedDocuments(texts, onProgress),
};

const MAX_UPLOAD = 256 * 1024;

function upload(files: { name: string; bytes: Uint8Array | string; type?: string }[], fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const file of files) {
    form.append("files", new File([typeof file.bytes === "string" ? file.bytes : new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  }
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return new Request("http://localhost/api/documents", { method: "POST", body: form });
}

const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const json = { "content-type": "application/json" };

describe.each(engines)("uploading files on %s", (engine) => {
  let context: AppContext;

  beforeAll(async () => {
    const config = parseConfig({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD), MAX_UPLOAD_FILES: "12", INGEST_CONCURRENCY: "2" });
    context = await createAppContext(config, { database: await freshDatabase(engine), embedder });
    provideAppContext(Promise.resolve(context));
  });
  afterAll(async () => {
    await context.stopWorkers();
    await context.database.close();
  });

  const detail = async (id: number) =>
    ((await (await documentRoute.GET(new Request("http://localhost"), params(id))).json()) as { document: DocumentDetailJson })
      .document;

  it("queues several files at once, refuses the ones it cannot read beside their names, and processes the rest to ready", async () => {
    const response = await documentsRoute.POST(
      upload([
        { name: "report.pdf", bytes: await pdfFixture() },
        { name: "guide.docx", bytes: await docxFixture() },
        { name: "tea.html", bytes: htmlFixture },
        { name: "cities.csv", bytes: csvFixture },
        { name: "rice.md", bytes: markdownFixture },
        { name: "photo.txt", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]) },
        { name: "huge.txt", bytes: "a ".repeat(MAX_UPLOAD) },
      ]),
    );
    expect(response.status).toBe(202);
    const { uploads } = (await response.json()) as UploadResponse;
    expect(uploads.map((u) => u.filename)).toEqual([
      "report.pdf", "guide.docx", "tea.html", "cities.csv", "rice.md", "photo.txt", "huge.txt",
    ]);
    expect(uploads[5]).toEqual({
      filename: "photo.txt",
      error: { code: "unsupported_type", message: expect.stringMatching(/photo\.txt looks like a PNG image/) },
    });
    expect(uploads[6]).toEqual({
      filename: "huge.txt",
      error: { code: "file_too_large", message: expect.stringMatching(/^huge\.txt is larger than the 256 KB limit \(MAX_UPLOAD_BYTES\)\.$/) },
    });
    const queued = uploads.flatMap((u) => ("document" in u ? [u.document] : []));
    expect(queued.map((d) => [d.format, d.status])).toEqual([
      ["pdf", "queued"], ["docx", "queued"], ["html", "queued"], ["csv", "queued"], ["markdown", "queued"],
    ]);

    await context.worker.idle();
    const report = await detail(queued[0]!.id);
    // The PDF's own title, not its file name; and its file stays with it, for re-reading when the parser improves.
    expect(report).toMatchObject({ status: "ready", title: "Quarterly Field Report", filename: "report.pdf", error: null });
    const kept = await context.database.db.query.documentSources.findFirst({ where: eq(documentSources.documentId, report.id) });
    expect(kept?.bytes.byteLength).toBe(report.size_bytes);
    expect(report.chunks.length).toBe(report.chunk_count);
    expect(report.chunks[0]!.location.pages).toEqual([1, 2]);
    expect(report.content).toMatch(/\| North Marsh \| Heron +\| 42 +\|/);
    const guide = await detail(queued[1]!.id);
    expect(guide.chunks.map((c) => c.location.headings)).toContainEqual(["Onboarding Guide", "Payroll"]);
    expect(guide.content).toBe(
      [
        "# Onboarding Guide",
        "Welcome to the team. This guide covers your first week.",
        "## Accounts",
        "Ask IT for a laptop and a password manager invitation.",
        "## Payroll",
        "Salaries are paid on the last working day of each month.",
      ].join("\n\n"),
    );
    const cities = await detail(queued[3]!.id);
    expect(cities.chunks[0]!.location.rows).toEqual([1, 3]);

    const search = await (await searchRoute.POST(
      new Request("http://localhost", { method: "POST", headers: json, body: JSON.stringify({ query: "when are salaries paid?", top_k: 1 }) }),
    )).json();
    expect(search.results[0]).toMatchObject({ document_id: guide.id, location: { headings: ["Onboarding Guide", "Payroll"] } });
  });

  it("answers 413 for a lone file over the limit and 415 for a lone unsupported one", async () => {
    const big = await documentsRoute.POST(upload([{ name: "big.txt", bytes: "b".repeat(MAX_UPLOAD + 1) }]));
    expect(big.status).toBe(413);
    const exe = await documentsRoute.POST(upload([{ name: "tool.exe", bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2]) }]));
    expect(exe.status).toBe(415);
    const none = await documentsRoute.POST(upload([], { title: "nothing" }));
    expect(none.status).toBe(422);
  });

  it("stores one document when the same file is uploaded ten times at once", async () => {
    const bytes = "Ten copies of one note about lighthouse keepers, uploaded together.";
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => documentsRoute.POST(upload([{ name: "lighthouse.txt", bytes }]))),
    );
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as UploadResponse).uploads[0]));
    const documentIds = new Set(ids.map((u) => ("document" in u! ? u.document.id : -1)));
    expect(documentIds.size).toBe(1);
    expect(ids.filter((u) => "document" in u! && !u.duplicate)).toHaveLength(1);
    expect(await context.database.db.$count(documents, eq(documents.filename, "lighthouse.txt"))).toBe(1);
  });

  it("marks a document failed when the embedder goes down, keeps no chunks, and a retry makes it ready", async () => {
    embedderDown = true;
    let id: number;
    try {
      const response = await documentsRoute.POST(upload([{ name: "storm.md", bytes: "# Storms\n\nThunder follows lightning." }]));
      id = ((await response.json()) as UploadResponse).uploads.map((u) => ("document" in u ? u.document.id : 0))[0]!;
      await context.worker.idle();
    } finally {
      embedderDown = false;
    }
    expect(await detail(id)).toMatchObject({ status: "failed", error: "the embedding server went away", chunks: [] });
    expect(await context.database.db.$count(chunks, eq(chunks.documentId, id))).toBe(0);

    const retried = await retryRoute.POST(new Request("http://localhost", { method: "POST" }), params(id));
    expect(retried.status).toBe(202);
    await context.worker.idle();
    expect(await detail(id)).toMatchObject({ status: "ready", error: null, chunk_count: 1 });
    const again = await retryRoute.POST(new Request("http://localhost", { method: "POST" }), params(id));
    expect(again.status).toBe(409);
  });

  it("fails a corrupt PDF with the reason, storing nothing of it", async () => {
    const response = await documentsRoute.POST(upload([{ name: "broken.pdf", bytes: "%PDF-1.7\ngarbage\n%%EOF" }]));
    const [entry] = ((await response.json()) as UploadResponse).uploads;
    await context.worker.idle();
    const broken = await detail("document" in entry! ? entry.document.id : 0);
    expect(broken).toMatchObject({ status: "failed", chunks: [], error: expect.stringMatching(/^broken\.pdf could not be read as a PDF/) });
  });

  it("never returns a deleted document's text from search", async () => {
    const text = "Quokkas are small marsupials that live on Rottnest Island near Perth.";
    const response = await documentsRoute.POST(upload([{ name: "quokka.txt", bytes: text }]));
    const [entry] = ((await response.json()) as UploadResponse).uploads;
    const id = "document" in entry! ? entry.document.id : 0;
    await context.worker.idle();
    const find = async () =>
      (await (await searchRoute.POST(
        new Request("http://localhost", { method: "POST", headers: json, body: JSON.stringify({ query: text, top_k: 100 }) }),
      )).json()) as { results: { document_id: number; content: string }[] };
    expect((await find()).results[0]).toMatchObject({ document_id: id, content: text });
    await documentRoute.DELETE(new Request("http://localhost"), params(id));
    const after = await find();
    expect(after.results.filter((r) => r.document_id === id || r.content.includes("Quokkas"))).toEqual([]);
  });

  it("streams status changes as server-sent events", async () => {
    const controller = new AbortController();
    const response = await eventsRoute.GET(new Request("http://localhost/api/documents/events", { signal: controller.signal }));
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();

    await documentsRoute.POST(upload([{ name: "owls.txt", bytes: "Owls hunt at night and fly almost silently." }]));
    // Polled every half second, so a fast document may skip states, never reorder them.
    const statuses: string[] = [];
    let buffer = "";
    while (!statuses.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (const match of buffer.matchAll(/event: document\ndata: (.*)\n\n/g)) {
        const document = JSON.parse(match[1]!) as { filename: string; status: string };
        if (document.filename === "owls.txt" && statuses.at(-1) !== document.status) statuses.push(document.status);
      }
      buffer = buffer.slice(buffer.lastIndexOf("\n\n") + 2);
    }
    controller.abort();
    expect(statuses.at(-1)).toBe("ready");
    const order = ["queued", "parsing", "embedding", "ready"];
    expect([...statuses].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(statuses);
  });
});

describe("a worker that dies half-way", () => {
  it("leaves its document to be claimed again when its lease lapses, and it ends ready", async () => {
    const database = await freshDatabase("pglite");
    const context = await createAppContext(parseConfig({}), { database, embedder });
    try {
      await context.worker.stop();
      const [queued] = await queueUploads(database.db, [{ filename: "crash.txt", bytes: new TextEncoder().encode("Work left behind by a crashed server."), tooLarge: false }], { maxBytes: MAX_UPLOAD });
      const id = "document" in queued! ? queued.document.id : 0;
      // Claimed by an instance that then died: no progress, and its lease runs out.
      const dead = await claim(database.db, id);
      expect(dead?.document.status).toBe("parsing");
      expect(await claim(database.db, id)).toBeUndefined();
      await database.db.update(documents).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(documents.id, id));

      const restarted = startIngestWorker(() => ingestDependencies(context), { concurrency: 1, pollMs: 50 });
      await restarted.idle();
      await restarted.stop();
      const [document] = await database.db.select().from(documents).where(eq(documents.id, id));
      expect(document).toMatchObject({ status: "ready", attempts: 2, claimToken: null });
      // The dead worker's claim is void: it cannot write anything now.
      expect(await reportProgress(database.db, dead!, { chunksEmbedded: 1 })).toBe(false);
    } finally {
      await context.stopWorkers();
      await database.close();
    }
  });
});

describe("an upload cut off by the database going away", () => {
  it("leaves no row behind once the database is back, though removing it failed at first", async () => {
    const database = await freshDatabase("pglite");
    try {
      const lost = () => Object.assign(new Error("Connection terminated unexpectedly"), { code: "57P01" });
      let removalsRefused = 0;
      // The database as the request saw it: gone while the file's parts were stored, and still gone for the first removal.
      const goingAway = new Proxy(database.db, {
        get(target, property, receiver) {
          if (property === "insert") {
            return (table: unknown) => {
              if (table === documentSources) throw lost();
              return target.insert(table as typeof documents);
            };
          }
          if (property === "delete") {
            return (table: typeof documents) => {
              if (removalsRefused++ < 2) throw lost();
              return target.delete(table);
            };
          }
          return Reflect.get(target, property, receiver);
        },
      });
      await expect(enqueue(goingAway, { bytes: new TextEncoder().encode("Half an upload."), format: "text", filename: "half.txt" })).rejects.toThrow(
        /Connection terminated/,
      );
      // The row is there, held from workers by its lease, until the removal is tried again.
      expect(await database.db.select({ id: documents.id }).from(documents)).toHaveLength(1);
      await expect.poll(async () => (await database.db.select({ id: documents.id }).from(documents)).length, { timeout: 10_000 }).toBe(0);
      expect(removalsRefused).toBe(3);
    } finally {
      await database.close();
    }
  });
});
