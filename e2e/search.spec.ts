import { expect, test } from "@playwright/test";
import { waitUntilReady } from "./documents-ready";

test("a person searches as they type, switches mode, filters by file type and opens a result", async ({ page, request }) => {
  const stamp = Date.now();
  const created = await request.post("/api/documents", {
    data: {
      title: `Fastnet ${stamp}`,
      content: `The Fastnet lighthouse flashes white every five seconds off the south-west coast of Ireland. Logbook ${stamp}.`,
    },
  });
  expect(created.status()).toBe(201);
  const upload = await request.post("/api/documents", {
    multipart: {
      file: {
        name: `harbour-${stamp}.md`,
        mimeType: "text/markdown",
        buffer: Buffer.from(`# Harbour guide ${stamp}\n\nShips entering the harbour must call the lighthouse keeper on channel 16. Logbook ${stamp}.`),
      },
    },
  });
  const [uploaded] = (await upload.json()).uploads;
  await waitUntilReady(request, uploaded.document.id);

  await page.goto("/search");
  await page.getByLabel("Search query").fill(`lighthouse logbook ${stamp}`);
  const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
  // Hybrid also brings passages that are only close in meaning; the two with the words come first.
  await expect(results.nth(0)).toContainText(String(stamp));
  await expect(results.nth(1)).toContainText(String(stamp));
  await expect(page.getByText(/passages · hybrid/)).toBeVisible();
  await expect(results.first().locator("mark").first()).toHaveText(/lighthouse|Logbook|\d+/i);
  const scores = (await page.getByTestId("score").allTextContents()).map(Number);
  expect(scores[0]).toBeGreaterThanOrEqual(scores[1]!);
  await expect(results.first().getByTestId("components")).toContainText("semantic #");

  await page.getByText("Keyword", { exact: true }).click();
  await expect(page).toHaveURL(/mode=keyword/);
  await expect(page.getByText("2 passages · keyword")).toBeVisible();
  await expect(results).toHaveCount(2);

  await page.getByLabel("File type").selectOption("markdown");
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText("Markdown");
  await expect(results.first()).toContainText(`Harbour guide ${stamp}`);

  await page.getByLabel("Min. BM25 score").fill("1000");
  await expect(page.getByText(`No passages match “lighthouse logbook ${stamp}”`)).toBeVisible();
  await page.getByRole("button", { name: "Clear the filters and minimum score" }).click();
  await expect(results).toHaveCount(2);

  await results.filter({ hasText: `Harbour guide ${stamp}` }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: `Harbour guide ${stamp}` })).toBeVisible();
  await expect(page.getByRole("list", { name: "Chunks" })).toContainText("channel 16");
});
