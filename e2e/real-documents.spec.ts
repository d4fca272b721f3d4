import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { VACUUMING_PAGE } from "../tests/support/answers";
import { waitUntilReady } from "./documents-ready";

const QUESTION = "How do I reclaim disk space after deleting a lot of rows?";
const ANSWER = "If you have such a table and you need to reclaim the excess disk space it occupies, you will need to use VACUUM FULL";

/** The same page at a person's two screens and in both color schemes, for looking at. */
async function shoot(page: Page, testInfo: TestInfo, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    for (const [width, height, device] of [[1280, 800, "desktop"], [390, 844, "phone"]] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      const path = testInfo.outputPath(`${name}-${device}-${scheme}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`screenshot: ${path}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: "light" });
}

test("a real manual page reads as the manual does, and the answer without a language model quotes the sentence that answers", async ({
  page,
  request,
}, testInfo) => {
  const withModel = testInfo.project.name === "postgres";
  const stamp = Date.now();
  const upload = await request.post("/api/documents", {
    multipart: {
      file: { name: "routine-vacuuming.html", mimeType: "text/html", buffer: Buffer.from(VACUUMING_PAGE) },
      notes: {
        name: `maintenance-notes-${stamp}.md`,
        mimeType: "text/markdown",
        buffer: Buffer.from(`# Maintenance notes ${stamp}\n\nTo compact the orders table overnight, run:\n\n\`\`\`sql\nVACUUM FULL orders;\nANALYZE orders;\n\`\`\`\n`),
      },
    },
  });
  const uploads = (await upload.json()).uploads as { document: { id: number } }[];
  for (const { document } of uploads) await waitUntilReady(request, document.id);

  // The page's own title, not its file name; its navigation bars nowhere.
  await page.goto("/documents");
  await expect(page.getByRole("list", { name: "Documents" })).toContainText("25.1. Routine Vacuuming");
  await page.goto(`/documents/${uploads[0]!.document.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("25.1. Routine Vacuuming");
  const chunks = page.getByRole("list", { name: "Chunks" });
  await expect(chunks).toContainText("In PostgreSQL, an UPDATE or DELETE of a row does not immediately remove the old version of the row.");
  await expect(chunks).not.toContainText("Prev");
  await page.getByRole("tab", { name: "Extracted text" }).click();
  const text = page.getByTestId("extracted-text");
  await expect(text.getByRole("heading", { name: "25.1.2. Recovering Disk Space" })).toBeVisible();
  await expect(text).not.toContainText("Next");
  await shoot(page, testInfo, `document-${testInfo.project.name}`);

  // Code keeps its lines, in the document and in search hits.
  await page.goto(`/documents/${uploads[1]!.document.id}`);
  await expect(page.getByTestId("chunk-code").first()).toHaveText("VACUUM FULL orders;\nANALYZE orders;");
  await page.goto(`/search?q=${encodeURIComponent(`compact orders table overnight ${stamp}`)}`);
  await expect(page.getByRole("list", { name: "Search results" }).getByTestId("chunk-code").first()).toContainText("ANALYZE orders;");

  await page.goto("/chat");
  await page.getByLabel("Your question").fill(QUESTION);
  await page.getByLabel("Your question").press("Enter");
  const answer = page.getByTestId("answer").last();
  await expect(answer).toHaveAttribute("aria-busy", "false");
  if (!withModel) {
    // Whole sentences, quoted as quotes, with their citations: the one naming VACUUM FULL among them.
    await expect(answer.getByTestId("answerer")).toContainText("Extractive answer");
    const quotes = answer.locator("blockquote");
    await expect(quotes.filter({ hasText: ANSWER })).toHaveCount(1);
    for (const quote of await quotes.allInnerTexts()) expect(quote.trim()).toMatch(/[.:!?)]\s*\d+$/);
    await expect(answer.getByTestId("citation").first()).toBeVisible();
  }
  await shoot(page, testInfo, `answer-${testInfo.project.name}`);
});
