import { expect, type APIRequestContext } from "@playwright/test";

/** Waits until an uploaded document is parsed, embedded and searchable. */
export async function waitUntilReady(request: APIRequestContext, id: number) {
  await expect
    .poll(async () => (await (await request.get(`/api/documents/${id}`)).json()).document.status, { timeout: 60_000 })
    .toBe("ready");
}
