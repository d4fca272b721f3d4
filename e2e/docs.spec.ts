import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
}

/** Documents and conversations for the operations that name one by id, as a person fills in their own. */
async function makeIds(request: APIRequestContext, stamp: number) {
  const document = async (title: string) => {
    const created = await request.post("/api/documents", { data: { title: `${title} ${stamp}`, content: `${title}: a note kept for the API docs test ${stamp}.` } });
    expect(created.status()).toBe(201);
    return (await created.json()).document.id as number;
  };
  const conversation = async (title: string) => (await (await request.post("/api/conversations", { data: { title } })).json()).conversation.id as number;
  // A file that says it is a PDF and is not: it fails when read, and a failed document is what retry takes.
  const upload = await request.post("/api/documents", {
    multipart: { files: { name: `broken-${stamp}.pdf`, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.7\nnot a PDF after all ${stamp}`) } },
  });
  const failed = (await upload.json()).uploads[0].document.id as number;
  await expect.poll(async () => (await (await request.get(`/api/documents/${failed}`)).json()).document.status, { timeout: 60_000 }).toBe("failed");
  return {
    "/api/documents/{id}": { get: await document("Kept"), patch: await document("Renamed"), delete: await document("Deleted") },
    "/api/documents/{id}/retry": { post: failed },
    "/api/conversations/{id}": { get: await conversation("Read"), patch: await conversation("Renamed"), delete: await conversation("Deleted") },
    "/api/conversations/{id}/stop": { post: await conversation("Stopped") },
    batch: [await document("Batch one"), await document("Batch two")],
  } as const;
}

test("every operation in the API docs runs from the page as documented, and succeeds", async ({ page, request, baseURL }, { project: { use } }) => {
  test.setTimeout(240_000);
  const spec = (await (await request.get("/api/openapi.json")).json()) as Spec;
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ path, method })));
  const ids = await makeIds(request, Date.now());

  await page.goto("/docs");
  await expect(page.locator(".opblock")).toHaveCount(operations.length);

  // Deletions come last, so nothing another operation reads is gone; signing out comes very last.
  const rank = ({ path, method }: { path: string; method: string }) => (path === "/api/session" && method === "delete" ? 2 : method === "delete" ? 1 : 0);
  const ordered = [...operations].sort((a, b) => rank(a) - rank(b));
  const outcomes: string[] = [];
  for (const { path, method } of ordered) {
    const documented = spec.paths[path]![method]!.responses;
    if (Object.values(documented).some((response) => JSON.stringify(response).includes("text/event-stream")) && method === "get") {
      // An endless stream of events: the page's Execute would wait for it to end. Its answer is checked here instead.
      const controller = new AbortController();
      const response = await fetch(new URL(path, baseURL), { headers: use.extraHTTPHeaders, signal: controller.signal });
      outcomes.push(`${method} ${path} ${response.status} ${response.headers.get("content-type")}`);
      controller.abort();
      continue;
    }
    const block = page.locator(".opblock").filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) }).filter({ has: page.locator(".opblock-summary-method", { hasText: new RegExp(`^${method}$`, "i") }) });
    // Opened ready to try (tryItOutEnabled), as a person finds it.
    await block.locator(".opblock-summary").click();
    const id = (ids as unknown as Record<string, Record<string, number>>)[path]?.[method];
    if (id) await block.locator('input[placeholder="id"]').fill(String(id));
    // Ids in a body are a person's own too; the API key is the server's.
    if (path === "/api/documents/batch-delete") await block.locator("textarea.body-param__text").fill(JSON.stringify({ ids: ids.batch }));
    if (path === "/api/session" && method === "post") await block.locator("textarea.body-param__text").fill(JSON.stringify({ api_key: E2E_API_KEY }));
    await block.getByRole("button", { name: "Execute" }).click();
    const status = block.locator(".live-responses-table tbody .response-col_status").first();
    await expect(status).toHaveText(/^\d{3}/, { timeout: 60_000 });
    outcomes.push(`${method} ${path} ${(await status.textContent())!.trim().slice(0, 3)}`);
    await block.locator(".opblock-summary").click();
  }

  const failures = outcomes.filter((outcome) => {
    const [method, path, status] = outcome.split(" ");
    const documented = Object.keys(spec.paths[path!]![method!]!.responses);
    // Re-embedding answers 409 when search already uses the configured model, as it documents.
    const expected = path === "/api/reembed" ? ["202", "409"] : documented.filter((code) => code.startsWith("2"));
    return !expected.includes(status!) || !documented.includes(status!);
  });
  expect(failures, outcomes.join("\n")).toEqual([]);
  expect(outcomes.find((outcome) => outcome.startsWith("get /api/documents/events"))).toContain("text/event-stream");
  expect((await request.get(`/api/documents/${ids.batch[0]}`)).status()).toBe(404);
  expect((await (await request.get(`/api/documents/${ids["/api/documents/{id}"].patch}`)).json()).document.title).toBe("Routine vacuuming (PostgreSQL 15)");
});
