import { expect, test } from "@playwright/test";

/** A search hit lands on its passage, far down a long document, however the page is reached. */
test("a search hit opens its document scrolled to the passage, highlighted, after a click, going back and a reload", async ({ page, request }) => {
  const stamp = Date.now();
  const paragraphs = Array.from(
    { length: 60 },
    (_, i) =>
      `Log entry ${i + 1}. The keeper trimmed the lamp wicks, wound the clockwork that turns the lens, and noted wind from the ${["north", "east", "south", "west"][i % 4]} at force ${(i % 7) + 1} with visibility of ${(i % 9) + 2} miles over the sound.`,
  );
  paragraphs[52] = `The brass fog bell of Skerry Point ${stamp} was recast in 1887 after a winter storm cracked it.`;
  const created = await request.post("/api/documents", { data: { title: `Keeper's log ${stamp}`, content: paragraphs.join("\n\n") } });
  expect(created.status()).toBe(201);
  const chunkCount = (await created.json()).document.chunk_count as number;
  expect(chunkCount).toBeGreaterThan(5);

  await page.goto(`/search?q=${encodeURIComponent(`fog bell Skerry ${stamp}`)}`);
  const hit = page.getByRole("list", { name: "Search results" }).getByRole("listitem").first();
  await expect(hit).toContainText("recast in 1887");
  // Grouped, the log's passages sit under its title, the best one first.
  await page.getByRole("checkbox", { name: "Group by document" }).check();
  const group = page.getByRole("list", { name: `Passages from Keeper's log ${stamp}` });
  await expect(group.getByRole("listitem").first()).toContainText("recast in 1887");
  await page.getByRole("checkbox", { name: "Group by document" }).uncheck();
  await hit.getByRole("link").first().click();

  const passage = page.locator('[aria-current="location"]');
  await expect(page.getByRole("heading", { level: 1, name: `Keeper's log ${stamp}` })).toBeVisible();
  await expect(passage).toContainText("recast in 1887");
  await expect(passage).toBeInViewport();
  await expect(passage).toBeFocused();
  // Not at the top: the first chunk is off screen.
  await expect(page.getByRole("list", { name: "Chunks" }).getByRole("listitem").first()).not.toBeInViewport();

  await page.goBack();
  await expect(hit).toContainText("recast in 1887");
  await page.goForward();
  await expect(passage).toContainText("recast in 1887");
  await expect(passage).toBeInViewport();

  await page.reload();
  await expect(passage).toContainText("recast in 1887");
  await expect(passage).toBeInViewport();
});
