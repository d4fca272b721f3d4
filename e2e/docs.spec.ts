import { expect, test } from "@playwright/test";

test("the API docs list every endpoint from the generated OpenAPI document, and one can be tried from the page", async ({ page, request }) => {
  const spec = await (await request.get("/api/openapi.json")).json();
  const operations = Object.values(spec.paths as Record<string, object>).reduce((sum, methods) => sum + Object.keys(methods).length, 0);

  await page.goto("/docs");
  await expect(page.locator(".opblock")).toHaveCount(operations);
  const search = page.locator("#operations-Search-postApiSearch");
  await search.locator(".opblock-summary").first().click();
  await search.locator("textarea.body-param__text").fill('{"query":"lighthouse keeper","top_k":3,"mode":"keyword"}');
  await search.getByRole("button", { name: "Execute" }).click();
  await expect(search.locator(".live-responses-table tbody .response-col_status").first()).toHaveText("200");
  await expect(search.locator(".live-responses-table")).toContainText('"mode": "keyword"');
});
