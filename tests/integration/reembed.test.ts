import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthRoute from "@/app/api/health/route";
import * as reembedRoute from "@/app/api/reembed/route";
import { parseConfig } from "@/lib/config";
import { createAppContext, modelDependencies, provideAppContext, type AppContext } from "@/lib/context";
import type { DatabaseHandle } from "@/lib/db/client";
import { ingestText } from "@/lib/ingest/ingest";
import { backfillBatch, pendingReembed, requestReembed, switchIfComplete } from "@/lib/ingest/reembed";
import { createOpenAIEmbedder } from "@/lib/providers/embedding/openai";
import { testReader } from "../support/reader";
import { semanticByText } from "../support/search";
import { corpus } from "../support/corpus";
import { engines, freshDatabase } from "../support/databases";
import { startOpenAIStandIn, type StandIn } from "../support/openai-standin";
import { testEmbedder } from "../support/embedder";

const minilm = testEmbedder();
let server: StandIn;
beforeAll(async () => {
  server = await startOpenAIStandIn({ models: { "plain-embedder": { dimensions: 16 } } });
});
afterAll(() => server.close());

const config = parseConfig({ EMBEDDING_PROVIDER: "openai", EMBEDDING_MODEL: "plain-embedder" });
const notes = Array.from({ length: 40 }, (_, i) => `Field note ${i}: the otters were seen at dawn near marker ${i}.`);

/** A database holding documents embedded with MiniLM, as before a configuration change. */
async function libraryEmbeddedWithMinilm(engine: (typeof engines)[number]): Promise<DatabaseHandle> {
  const database = await freshDatabase(engine);
  const before = await createAppContext(parseConfig({}), { database, embedder: minilm });
  const deps = await modelDependencies(before);
  for (const content of [...Object.values(corpus), ...notes]) {
    await ingestText({ ...deps, chunking: { size: 200, overlap: 40 }, reader: testReader() }, { content });
  }
  await before.stopWorkers();
  return database;
}

describe.each(engines)("changing the embedding model on %s", (engine) => {
  let database: DatabaseHandle;
  let context: AppContext;

  beforeAll(async () => {
    database = await libraryEmbeddedWithMinilm(engine);
    const embedder = createOpenAIEmbedder({
      baseURL: server.baseURL,
      apiKey: "x",
      model: "plain-embedder",
      maxInputTokens: 512,
      batchSize: 64,
    });
    context = await createAppContext(config, { database, embedder });
    // This test drives the re-embed itself, step by step.
    await context.reembedWorker.stop();
    provideAppContext(Promise.resolve(context));
  });
  afterAll(async () => {
    await context.stopWorkers();
    await database.close();
  });

  it("says so, keeps searching with the old model while re-embedding, then switches at once", async () => {
    const health = await (await healthRoute.GET()).json();
    expect(health.reembed).toEqual({
      from: "local:all-MiniLM-L6-v2",
      to: "openai:plain-embedder",
      requested: false,
      embedded: 0,
      total: health.counts.chunks,
    });
    const search = async (query: string) => semanticByText(await modelDependencies(context), query, 1);
    const paraphrase = "How do insects communicate where food can be found?";
    expect((await search(paraphrase))[0]!.content).toBe(corpus.honeybees);

    const target = await context.embeddingModel();
    await requestReembed(database.db, target);
    expect((await pendingReembed(database.db))?.id).toBe(target.id);
    expect(await backfillBatch(database.db, target, context.embedder)).toBe(32);
    expect(await switchIfComplete(database.db, target)).toBe(false);
    // Half-way: search still embeds the query with MiniLM and finds by meaning.
    expect((await context.activeModel()).model.name).toBe("all-MiniLM-L6-v2");
    expect((await search(paraphrase))[0]!.content).toBe(corpus.honeybees);
    const during = await (await healthRoute.GET()).json();
    expect(during.reembed).toMatchObject({ requested: true, embedded: 32 });

    while ((await backfillBatch(database.db, target, context.embedder)) > 0);
    expect(await switchIfComplete(database.db, target)).toBe(true);
    expect((await context.activeModel()).model.name).toBe("plain-embedder");
    // The stand-in's vectors come from the text's hash: only the exact text matches.
    expect((await search(notes[7]!))[0]).toMatchObject({ content: notes[7], score: expect.closeTo(1, 5) });
    const after = await (await healthRoute.GET()).json();
    expect(after.reembed).toBeNull();
    expect(after.models.map((m: { name: string; active: boolean; embeddings: number }) => [m.name, m.active, m.embeddings])).toEqual([
      ["all-MiniLM-L6-v2", false, after.counts.chunks],
      ["plain-embedder", true, after.counts.chunks],
    ]);
    expect(await pendingReembed(database.db)).toBeUndefined();
  });
});

describe("re-embedding in the background", () => {
  it("starts from POST /api/reembed and switches search when the background worker is done", async () => {
    const database = await libraryEmbeddedWithMinilm("pglite");
    const embedder = createOpenAIEmbedder({ baseURL: server.baseURL, apiKey: "x", model: "plain-embedder", maxInputTokens: 512, batchSize: 64 });
    const context = await createAppContext(config, { database, embedder });
    provideAppContext(Promise.resolve(context));
    try {
      const started = await reembedRoute.POST();
      expect(started.status).toBe(202);
      for (let i = 0; i < 100 && (await context.activeModel()).model.name !== "plain-embedder"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await context.activeModel()).model.name).toBe("plain-embedder");
      expect((await reembedRoute.POST()).status).toBe(409);
    } finally {
      await context.stopWorkers();
      await database.close();
    }
  });
});
