import { expect, test } from "@playwright/test";

test("a person pastes text, ingests it, searches by meaning and sees scored results", async ({ page }) => {
  const passage = "Honeybees perform a waggle dance to tell their hive mates where flowers with nectar are.";
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Search and ask your documents" })).toBeVisible();

  await page.getByRole("textbox", { name: "Title" }).fill("Bee communication");
  await page.getByRole("textbox", { name: "Text" }).fill(passage);
  await page.getByRole("button", { name: "Ingest" }).click();
  await expect(page.getByRole("status")).toContainText("Stored “Bee communication” in 1 chunk.");

  await page.getByRole("textbox", { name: "Text" }).fill("Interest rates on mortgages rose again this quarter.");
  await page.getByRole("button", { name: "Ingest" }).click();
  await expect(page.getByRole("status")).toContainText("Stored");

  await page.getByLabel("Search query").fill("How do insects share where food is?");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/search\?q=How/);
  await page.getByRole("radio", { name: "Semantic" }).check({ force: true });
  const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
  await expect(results.first()).toContainText(passage);
  await expect(results.first()).toContainText("Bee communication");
  await expect(page.getByText(/passages · semantic/)).toBeVisible();
  const scores = await page.getByTestId("score").allTextContents();
  expect(scores.length).toBeGreaterThanOrEqual(2);
  const values = scores.map(Number);
  expect(values[0]).toBeGreaterThan(values[1]!);
  expect(values[0]).toBeGreaterThan(0.2);

  await results.first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Bee communication" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Chunks" })).toContainText(passage);

  await page.getByRole("link", { name: "Documents" }).click();
  await page.getByRole("button", { name: "Delete Bee communication" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("list", { name: "Documents" })).not.toContainText("Bee communication");
});
