import { expect, test as setup } from "@playwright/test";
import { E2E_API_KEY, PGLITE_SESSION_FILE } from "../playwright.config";

/** The PGlite server asks for its API key: its browser signs in once, as a person would, and keeps the cookie. */
setup("sign the browser in", async ({ request }) => {
  const signedIn = await request.post("/api/session", { data: { api_key: E2E_API_KEY } });
  expect(signedIn.status()).toBe(200);
  await request.storageState({ path: PGLITE_SESSION_FILE });
});
