import { expect, test, type APIRequestContext } from "@playwright/test";
import { seriousViolations } from "./axe";
import { waitUntilReady } from "./documents-ready";

/** Specs run one at a time (playwright.config.ts), so emptying the library here disturbs no other. */
async function emptyLibrary(request: APIRequestContext) {
  for (;;) {
    const { documents } = (await (await request.get("/api/documents?limit=200")).json()) as { documents: { id: number }[] };
    if (documents.length === 0) return;
    for (const { id } of documents) expect((await request.delete(`/api/documents/${id}`)).status()).toBe(204);
  }
}

test("from an empty library, one click loads the sample documents and a suggested question gets a cited answer", async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  await emptyLibrary(request);

  await page.goto("/");
  const firstRun = page.getByRole("region", { name: "Your library is empty" });
  await expect(firstRun).toBeVisible();
  // The empty pages pass axe too (e2e/pages.spec.ts checks them filled).
  for (const path of ["/", "/documents", "/chat", "/search?q=anything"]) {
    if (path !== "/") await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await seriousViolations(page, path)).toEqual([]);
  }
  await page.goto("/");
  await firstRun.getByRole("button", { name: "Load sample documents" }).click();

  const suggestions = page.getByRole("list", { name: "Suggested questions" });
  await expect(suggestions).toBeVisible();
  const { documents } = (await (await request.get("/api/documents?limit=200")).json()) as { documents: { id: number; source: string }[] };
  expect(documents).toHaveLength(3);
  for (const { id } of documents) await waitUntilReady(request, id);

  await suggestions.getByRole("link", { name: "How do I reclaim disk space after deleting a lot of rows?" }).click();
  await expect(page).toHaveURL(/\/chat(\/\d+)?$/);
  await expect(page.getByTestId("question")).toContainText("How do I reclaim disk space");
  const answer = page.getByTestId("answer").first();
  await expect(answer).toHaveAttribute("aria-busy", "false", { timeout: 60_000 });
  // The extractive answerer quotes the sentence naming VACUUM FULL; the model stand-in quotes source 1.
  const withModel = testInfo.project.name === "postgres";
  await expect(answer.getByTestId("answer-text")).toContainText(withModel ? "According to your documents" : "VACUUM FULL");
  await expect(answer.getByTestId("citation").first()).toBeVisible();
  await expect(answer.getByTestId("source").first()).toContainText("Routine Vacuuming");

  // Loading them again finds them there: nothing is stored twice.
  const again = await request.post("/api/samples");
  expect(again.status()).toBe(202);
  expect(((await again.json()).uploads as { duplicate: boolean }[]).every((upload) => upload.duplicate)).toBe(true);
});
