import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { docxFixture, pdfFixture } from "../tests/support/fixtures";
import { rawRequest } from "./raw-request";

test("a person drops several files, watches them become ready, opens one and deletes one", async ({ page }) => {
  const stamp = Date.now();
  const files = [
    { name: `field-report-${stamp}.pdf`, type: "application/pdf", base64: Buffer.from(await pdfFixture()).toString("base64") },
    { name: `onboarding-${stamp}.docx`, type: "application/octet-stream", base64: Buffer.from(await docxFixture()).toString("base64") },
    { name: `notes-${stamp}.md`, type: "text/markdown", base64: Buffer.from(`# Notes ${stamp}\n\nAlpacas hum to each other.`).toString("base64") },
    { name: `photo-${stamp}.txt`, type: "text/plain", base64: readFileSync("/bin/true").subarray(0, 64).toString("base64") },
  ];

  await page.goto("/documents");
  const dataTransfer = await page.evaluateHandle((specs) => {
    const transfer = new DataTransfer();
    for (const spec of specs) {
      const bytes = Uint8Array.from(atob(spec.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], spec.name, { type: spec.type }));
    }
    return transfer;
  }, files);
  await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer });

  const uploads = page.getByRole("list", { name: "Uploads" });
  for (const file of files.slice(0, 3)) {
    const row = uploads.getByRole("listitem").filter({ hasText: file.name });
    await expect(row.getByTestId("document-status")).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
  }
  const refused = uploads.getByRole("listitem").filter({ hasText: files[3]!.name });
  await expect(refused.getByRole("alert")).toContainText("looks like an executable");

  // Each is titled as it titles itself: the PDF by its properties, the Word file and the Markdown by their first heading.
  const library = page.getByRole("list", { name: "Documents" });
  await expect(library).toContainText("Quarterly Field Report");
  await expect(library).toContainText(`Notes ${stamp}`);
  await library.getByRole("link", { name: "Onboarding Guide" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Onboarding Guide" })).toBeVisible();
  // Each chunk says where it sits, under the title shown above it.
  await expect(page.getByRole("list", { name: "Chunks" })).toContainText("tokens · Payroll");
  await page.getByRole("tab", { name: "Extracted text" }).click();
  await expect(page.getByText("Salaries are paid on the last working day of each month.")).toBeVisible();
  // A one-line note is one chunk, and says so in the singular.
  const onboarding = page.url();
  await page.goto("/documents");
  await library.getByRole("link", { name: `Notes ${stamp}` }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: `Notes ${stamp}` })).toBeVisible();
  await expect(page.getByRole("article")).toContainText(/ · 1 chunk · \d+ characters · added/);
  await page.goto(onboarding);

  // Deleting asks first: Cancel keeps the document, and focus goes back to the button.
  const deleteButton = page.getByRole("button", { name: "Delete" });
  await deleteButton.click();
  const question = page.getByRole("alertdialog", { name: "Delete “Onboarding Guide”?" });
  await expect(question).toBeVisible();
  await question.getByRole("button", { name: "Cancel" }).click();
  await expect(question).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await expect(page).toHaveURL(/\/documents\/\d+$/);
  await deleteButton.click();
  await question.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/documents$/);
  await expect(page.getByRole("list", { name: "Documents" })).not.toContainText("Onboarding Guide");
  await expect(page.getByRole("list", { name: "Documents" })).toContainText(`Notes ${stamp}`);
});

test("an upload of two 40 MB files reaches the server whole, and one declared past the limits gets 413 at once", async ({ request, baseURL }) => {
  // Zeros: refused as binary once read, so nothing is stored, but only a body that arrived whole gets that far
  // (the framework used to cut every request at 64 MB: "Unexpected end of form").
  const form = new FormData();
  for (const name of ["first.txt", "second.txt"]) form.append("files", new Blob([new Uint8Array(40 * 1024 * 1024)]), name);
  const whole = await request.post("/api/documents", { multipart: form, timeout: 120_000 });
  expect(whole.status()).toBe(415);
  const { uploads } = await whole.json();
  expect(uploads.map((upload: { filename: string; error: { code: string } }) => [upload.filename, upload.error.code])).toEqual([
    ["first.txt", "unsupported_type"],
    ["second.txt", "unsupported_type"],
  ]);

  // 20 files of 50 MB and the form around them is the most one request may carry: a larger declared length is refused unread.
  const tooLarge = await rawRequest(baseURL!, "POST", "/api/documents", {
    headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(1100 * 1024 * 1024) },
    body: null,
  });
  expect(tooLarge.status).toBe(413);
  expect(JSON.parse(tooLarge.body).error.message).toContain("MAX_UPLOAD_FILES files of MAX_UPLOAD_BYTES each");
});

test("the library sorts, renames in place, and acts on a selection: ask about these, or delete them after asking", async ({ page, request }) => {
  const stamp = Date.now();
  const ids: Record<string, number> = {};
  for (const [name, content] of [
    ["Beacon", "Beacons were lit on hilltops to pass warnings along the coast."],
    ["anchor", "An anchor holds a ship in place by digging into the sea bed."],
    ["Compass", "A compass needle turns to magnetic north, not true north."],
  ] as const) {
    const created = await request.post("/api/documents", { data: { title: `${name} ${stamp}`, content: `${content} ${stamp}` } });
    expect(created.status()).toBe(201);
    ids[name] = (await created.json()).document.id;
  }

  await page.goto("/documents");
  await page.getByLabel("Filter by title or file name").fill(String(stamp));
  const library = page.getByRole("list", { name: "Documents" });
  const titles = library.getByRole("listitem").getByRole("link");
  await expect(titles).toHaveText([`Compass ${stamp}`, `anchor ${stamp}`, `Beacon ${stamp}`]);
  await page.getByLabel("Sort", { exact: true }).selectOption({ label: "Title A–Z" });
  await expect(titles).toHaveText([`anchor ${stamp}`, `Beacon ${stamp}`, `Compass ${stamp}`]);

  // Rename in place: Escape leaves the title, Enter keeps the new one.
  await page.getByRole("button", { name: `Rename anchor ${stamp}` }).click();
  await page.getByLabel("Document title").fill("thrown away");
  await page.getByLabel("Document title").press("Escape");
  await expect(titles).toHaveText([`anchor ${stamp}`, `Beacon ${stamp}`, `Compass ${stamp}`]);
  await page.getByRole("button", { name: `Rename anchor ${stamp}` }).click();
  await page.getByLabel("Document title").fill(`Sea anchor ${stamp}`);
  await page.getByLabel("Document title").press("Enter");
  await expect(titles).toHaveText([`Beacon ${stamp}`, `Compass ${stamp}`, `Sea anchor ${stamp}`]);

  // A selection: the page's box ticks all, then two are kept.
  await page.getByLabel("Select all documents on this page").check();
  const selection = page.getByRole("toolbar", { name: "Selected documents" });
  await expect(selection).toContainText("3 selected");
  await page.getByLabel(`Select Compass ${stamp}`).uncheck();
  await expect(selection).toContainText("2 selected");
  await expect(page.getByLabel("Select all documents on this page")).not.toBeChecked();
  const ask = selection.getByRole("link", { name: "Ask about these" });
  const asked = new URL((await ask.getAttribute("href"))!, "http://x").searchParams.get("documents")!.split(",").map(Number);
  expect(asked.sort()).toEqual([ids.anchor, ids.Beacon].sort());

  await selection.getByRole("button", { name: "Delete…" }).click();
  const question = page.getByRole("alertdialog", { name: "Delete 2 documents?" });
  await question.getByRole("button", { name: "Delete" }).click();
  await expect(titles).toHaveText([`Compass ${stamp}`]);
  await expect(selection).toBeHidden();
  expect((await request.get(`/api/documents/${ids.Beacon}`)).status()).toBe(404);
});
