import { expect, test } from "@playwright/test";

test("the original /ingest and /search contract answers as the demo did", async ({ request }, testInfo) => {
  const content = "Postgres with pgvector is excellent for RAG systems";
  const ingest = await request.post("/ingest", { data: { content } });
  expect(ingest.status()).toBe(200);
  const { id } = await ingest.json();

  await request.post("/ingest", { data: { content: "The recipe needs two eggs, flour and a pinch of salt." } });

  const search = await request.post("/search", { data: { query: "What is pgvector used for?", top_k: 3 } });
  expect(search.status()).toBe(200);
  const { results } = await search.json();
  expect(results[0]).toEqual({ id: expect.any(Number), document_id: id, content, similarity: expect.any(Number) });
  expect(results[0].similarity).toBeGreaterThan(results[1].similarity);

  const health = await (await request.get("/api/health")).json();
  expect(health.database.engine).toBe(testInfo.project.name);

  const bad = await request.post("/search", { data: Buffer.from("{oops"), headers: { "content-type": "application/json" } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("invalid_json");
});

test("a body over the size limit gets 413 through the proxy, not a hang", async ({ request }) => {
  const response = await request.post("/ingest", {
    data: Buffer.from(JSON.stringify({ content: "x".repeat(11 * 1024 * 1024) })),
    headers: { "content-type": "application/json" },
  });
  expect(response.status()).toBe(413);
  expect((await response.json()).error.code).toBe("payload_too_large");
});
