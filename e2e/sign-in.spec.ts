import { expect, test } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

test("with API_KEY set the API refuses requests without it and the browser asks for it once; without it nothing is asked", async ({
  browser,
  playwright,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const protectedServer = testInfo.project.name === "pglite";
  // A browser and a client that carry nothing, unlike the project's own (whose options they would inherit).
  const nothing = { baseURL, extraHTTPHeaders: {}, storageState: { cookies: [], origins: [] } };
  const context = await browser.newContext(nothing);
  const anonymous = await playwright.request.newContext(nothing);
  const page = await context.newPage();
  const stamp = Date.now();

  const search = await anonymous.post("/api/search", { data: { query: "anything" } });
  expect(search.status()).toBe(protectedServer ? 401 : 200);
  if (protectedServer) {
    expect((await search.json()).error.message).toContain("Authorization: Bearer <API_KEY>");
    const withKey = await anonymous.post("/api/documents", {
      data: { title: `Signed ${stamp}`, content: `The signed ledger ${stamp} lists every shipment.` },
      headers: { authorization: `Bearer ${E2E_API_KEY}` },
    });
    expect(withKey.status()).toBe(201);
  } else {
    expect((await anonymous.post("/api/documents", { data: { title: `Signed ${stamp}`, content: `The signed ledger ${stamp} lists every shipment.` } })).status()).toBe(201);
  }

  await page.goto("/documents");
  const dialog = page.getByRole("dialog", { name: "Sign in" });
  if (protectedServer) {
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("API key").fill("not-the-key-0123456789");
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog.getByRole("alert")).toContainText("not this pgrag's API key");
    await dialog.getByLabel("API key").fill(E2E_API_KEY);
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByText(`Signed ${stamp}`)).toBeVisible();
  await page.reload();
  await expect(page.getByText(`Signed ${stamp}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  if (protectedServer) {
    const [session] = await context.cookies();
    const replay = { headers: { cookie: `${session!.name}=${session!.value}` } };
    expect((await anonymous.get("/api/documents", replay)).status()).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(dialog).toBeVisible();
    await expect(page.getByText(`Signed ${stamp}`)).toBeHidden();
    // A copy of the cookie taken while signed in opens nothing once the browser signed out.
    expect((await anonymous.get("/api/documents", replay)).status()).toBe(401);
  } else {
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  }
  await context.close();
  await anonymous.dispose();
});
