import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { docxFixture, pdfFixture } from "../tests/support/fixtures";

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

  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/documents$/);
  await expect(page.getByRole("list", { name: "Documents" })).not.toContainText("Onboarding Guide");
  await expect(page.getByRole("list", { name: "Documents" })).toContainText(`Notes ${stamp}`);
});
