import { expect, test } from "@playwright/test";
import { CHAT_STANDIN_MODEL } from "./chat-standin";
import { waitUntilReady } from "./documents-ready";

test("a person asks about an uploaded document, watches the answer stream, opens its citation, and finds the chat after a reload", async ({
  page,
  request,
}, testInfo) => {
  // The PostgreSQL project's app talks to a streaming language model; the PGlite one answers extractively.
  const withModel = testInfo.project.name === "postgres";
  const stamp = Date.now();
  const fact = `The Kestrel ferry to Inishmore leaves Pier ${stamp} at 07:45 every weekday.`;
  const upload = await request.post("/api/documents", {
    multipart: {
      file: {
        name: `ferry-${stamp}.md`,
        mimeType: "text/markdown",
        buffer: Buffer.from(`# Island ferries ${stamp}\n\n${fact} Tickets are sold on board.\n\nBicycles travel free of charge.`),
      },
    },
  });
  const [uploaded] = (await upload.json()).uploads;
  await waitUntilReady(request, uploaded.document.id);

  // The conversation's stored copy is read back after the answer streams; held here so the
  // citation preview below is opened before it arrives, as a quick reader's would be.
  let releaseReadBack!: () => void;
  const readBackHeld = new Promise<void>((resolve) => (releaseReadBack = resolve));
  await page.route(/\/api\/conversations\/\d+$/, async (route) => {
    if (route.request().method() === "GET") await readBackHeld;
    await route.continue();
  });

  await page.goto("/chat");
  const box = page.getByLabel("Your question");
  // Shift+Enter breaks the line instead of sending.
  await box.fill("draft line");
  await box.press("Shift+Enter");
  await expect(box).toHaveValue("draft line\n");
  await box.fill(`When does the Kestrel ferry from Pier ${stamp} leave?`);
  await box.press("Enter");
  await expect(box).toHaveValue("");

  const answer = page.getByTestId("answer").last();
  await expect(page).toHaveURL(/\/chat\/\d+$/);
  if (withModel) {
    // Mid-stream: part of the answer is shown, still being written, with a stop button.
    await expect(answer).toContainText("According to your documents");
    await expect(answer).toHaveAttribute("aria-busy", "true");
    await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  }
  await expect(answer).toHaveAttribute("aria-busy", "false");
  await expect(answer).toContainText("07:45");
  await expect(answer.getByTestId("answerer")).toContainText(withModel ? `Answered by ${CHAT_STANDIN_MODEL}` : "Extractive answer");
  await expect(answer.getByTestId("source").first()).toContainText(`Island ferries ${stamp}`);

  const citation = answer.getByTestId("citation").first();
  await citation.hover();
  const preview = page.getByRole("tooltip");
  await expect(preview).toBeVisible();
  await expect(preview).toContainText(`Pier ${stamp}`);
  // Whole, inside the window: the chat's scroll area used to cut its title off.
  await expect(preview).toBeInViewport({ ratio: 1 });
  // The stored copy takes the streamed answer's place without remounting it: the preview stays open.
  await citation.evaluate((element) => element.setAttribute("data-hovered-before-read-back", ""));
  releaseReadBack();
  await expect(answer.getByRole("button", { name: "Regenerate" })).toBeVisible();
  await expect(answer.locator("[data-hovered-before-read-back]")).toHaveCount(1);
  await expect(preview).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`chat-${testInfo.project.name}.png`), fullPage: true });
  console.log(`chat screenshot: ${testInfo.outputPath(`chat-${testInfo.project.name}.png`)}`);

  await page.reload();
  await expect(page.getByTestId("question")).toContainText(`Pier ${stamp}`);
  await expect(page.getByTestId("answer").last()).toContainText("07:45");
  await expect(page.getByRole("navigation", { name: "Conversations" })).toContainText(`When does the Kestrel ferry from Pier ${stamp} leave?`);

  // A follow-up is searched for with the earlier subject.
  await box.fill("And on Sundays, does it run?");
  await box.press("Enter");
  const followUp = page.getByTestId("answer").nth(1);
  await expect(followUp).toHaveAttribute("aria-busy", "false");
  await expect(followUp.getByTestId("search-query")).toContainText("Kestrel");

  if (withModel) {
    // Stop an answer mid-stream: what was written is kept, marked stopped, and still there after a reload.
    await box.fill(`Tell me again about the ferry from Pier ${stamp}.`);
    await box.press("Enter");
    const stopped = page.getByTestId("answer").nth(2);
    await expect(stopped).toContainText("According to your documents");
    const stopRequest = page.waitForResponse((response) => /\/api\/conversations\/\d+\/stop$/.test(response.url()));
    await page.getByRole("button", { name: "Stop" }).click();
    // The server stopped the answer it was writing; the still-open stream then brought the saved answer back.
    expect(await (await stopRequest).json()).toEqual({ stopped: true });
    await expect(stopped).toContainText("Stopped.");
    const shownBeforeReload = await stopped.getByTestId("answer-text").textContent();
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("answer")).toHaveCount(3);
    await expect(page.getByTestId("answer").nth(2)).toContainText("Stopped.");
    const kept = page.getByTestId("answer").nth(2).getByTestId("answer-text");
    await expect(kept).toContainText("According to your documents");
    await expect(kept).not.toContainText("weekday");
    await expect(kept).toHaveText(shownBeforeReload!);
  }

  // A citation opens its passage beside the chat; the conversation stays.
  const chatUrl = page.url();
  await page.getByTestId("answer").first().getByTestId("citation").first().click();
  const sheet = page.getByRole("dialog");
  await expect(sheet).toContainText("07:45");
  await expect(sheet).toBeInViewport();
  expect(page.url()).toBe(chatUrl);
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  // A source card opens the same panel, and from there the passage in its document.
  await page.getByTestId("answer").first().getByTestId("source").first().getByRole("button").click();
  await sheet.getByRole("link", { name: "Open in document" }).click();
  await expect(page).toHaveURL(new RegExp(`/documents/${uploaded.document.id}\\?chunk=\\d+#chunk-\\d+$`));
  const chunkId = /chunk=(\d+)/.exec(page.url())![1];
  await expect(page.locator(`#chunk-${chunkId}`)).toContainText("07:45");
  await expect(page.locator(`#chunk-${chunkId}`)).toHaveClass(/border-indigo-400/);
  await expect(page.locator(`#chunk-${chunkId}`)).toBeInViewport();
});

test("conversations are renamed and deleted from the list", async ({ page, request }) => {
  const stamp = Date.now();
  const created = await request.post("/api/conversations", { data: { title: `Trip ${stamp}` } });
  expect(created.status()).toBe(201);
  await page.goto("/chat");
  const list = page.getByRole("navigation", { name: "Conversations" });
  await list.getByRole("button", { name: `Rename Trip ${stamp}` }).click();
  await list.getByLabel("Conversation title").fill(`Holiday ${stamp}`);
  await list.getByLabel("Conversation title").press("Enter");
  await expect(list.getByRole("button", { name: `Holiday ${stamp}`, exact: true })).toBeVisible();
  await list.getByRole("button", { name: `Delete Holiday ${stamp}` }).click();
  await page.getByRole("alertdialog", { name: `Delete “Holiday ${stamp}”?` }).getByRole("button", { name: "Delete" }).click();
  await expect(list.getByRole("button", { name: `Holiday ${stamp}`, exact: true })).toHaveCount(0);
});

test("on a phone-sized screen the conversation list folds away and the chat keeps the width", async ({ page, request }) => {
  const stamp = Date.now();
  await request.post("/api/conversations", { data: { title: `Pocket ${stamp}` } });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/chat");
  const list = page.getByRole("navigation", { name: "Conversations" });
  await expect(list).toBeHidden();
  const box = page.getByLabel("Your question");
  await expect(box).toBeVisible();
  expect((await box.boundingBox())!.width).toBeGreaterThan(250);
  await page.getByRole("button", { name: "Conversations" }).click();
  await expect(list).toBeVisible();
  await list.getByRole("button", { name: `Pocket ${stamp}`, exact: true }).click();
  await expect(page).toHaveURL(/\/chat\/\d+$/);
  await expect(list).toBeHidden();
});

test("a chat scoped to one document answers only from it, and keeps its scope after a reload", async ({ page, request }) => {
  const stamp = Date.now();
  for (const [title, content] of [
    [`Orchard ${stamp}`, `The Bramley apple tree in the north orchard ${stamp} was planted in 1809.`],
    [`Garage ${stamp}`, `The garage door code for unit ${stamp} is 4711.`],
  ]) {
    expect((await request.post("/api/documents", { data: { title, content } })).status()).toBe(201);
  }
  await page.goto("/chat");
  await page.getByRole("button", { name: "Ask about: All documents" }).click();
  const picker = page.getByRole("dialog", { name: "Documents to ask about" });
  await picker.getByLabel("Filter documents").fill(`Orchard ${stamp}`);
  await picker.getByRole("checkbox", { name: `Orchard ${stamp}` }).check();
  await picker.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("button", { name: `Ask about: Orchard ${stamp}` })).toBeVisible();

  await page.getByLabel("Your question").fill(`What is the garage door code for unit ${stamp}?`);
  await page.getByLabel("Your question").press("Enter");
  const answer = page.getByTestId("answer").last();
  await expect(answer).toHaveAttribute("aria-busy", "false");
  await expect(answer.getByTestId("answer-text")).not.toContainText("4711");
  for (const source of await answer.getByTestId("source").allTextContents()) expect(source).toContain(`Orchard ${stamp}`);

  await expect(page).toHaveURL(/\/chat\/\d+$/);
  await page.reload();
  await expect(page.getByRole("button", { name: `Ask about: Orchard ${stamp}` })).toBeVisible();
});
