import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "./axe";

/** Every page a person reaches from the navigation, plus a document of their own. */
const PAGES = ["/", "/chat", "/search?q=keeper+lamp", "/documents", "/docs"];

async function withDocument(page: Page): Promise<string[]> {
  const stamp = `${Date.now()}-${Math.random()}`;
  const created = await page.request.post("/api/documents", {
    data: { title: `Lamp room ${stamp}`, content: `The keeper trimmed the lamp wicks at dusk (${stamp}) and wound the clockwork that turns the lens.` },
  });
  expect(created.status()).toBe(201);
  return [...PAGES, `/documents/${(await created.json()).document.id}`];
}

/** Waits for what a page loads after its first paint, so the checks see it filled. */
async function settled(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no page scrolls sideways", async ({ page }) => {
    for (const path of await withDocument(page)) {
      await settled(page, path);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(widths.scroll, `${path} is ${widths.scroll} px wide in a ${widths.inner} px window`).toBeLessThanOrEqual(widths.inner);
    }
  });

  test("the navigation opens from a menu button as a sheet, and closes on the way to the page", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Documents" })).toBeHidden();
    const menuButton = page.getByRole("button", { name: "Menu" });
    await menuButton.click();
    const menu = page.getByRole("dialog", { name: "Menu" });
    await expect(menu.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(menuButton).toBeFocused();

    await menuButton.click();
    await menu.getByRole("link", { name: "Documents" }).click();
    await expect(page).toHaveURL(/\/documents$/);
    await expect(menu).toBeHidden();
  });
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page passes axe with no serious or critical violations, ${colorScheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    const failures: string[] = [];
    for (const path of await withDocument(page)) {
      await settled(page, path);
      failures.push(...(await seriousViolations(page, path)));
    }
    expect(failures).toEqual([]);
  });
}

test("the icon is served, so no page asks for a missing one", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await settled(page, "/");
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  expect(missing).toEqual([]);
});
