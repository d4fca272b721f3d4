import { expect, test } from "@playwright/test";
import { waitUntilReady } from "./documents-ready";
import { rawRequest } from "./raw-request";

test("pages and the API send security headers", async ({ request }) => {
  for (const path of ["/", "/chat", "/api/health"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toContain("object-src 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-powered-by"], path).toBeUndefined();
  }
});

test("script and onerror payloads in an uploaded document never run: not in its view, its search results or a cited answer", async ({ page, request }) => {
  const stamp = Date.now();
  const payload = (n: number) => `<img src=x onerror="window.__pwned=${n}"><script>window.__pwned=${n + 1}</script>`;
  const markdown = `# Payload ${stamp}\n\nThe quartz clock ${stamp} chimes at noon ${payload(1)} every day.\n\n<svg onload="window.__pwned=3"></svg>\n\n[click](javascript:window.__pwned=4)`;
  const upload = await request.post("/api/documents", {
    multipart: { file: { name: `payload-${stamp}.md`, mimeType: "text/markdown", buffer: Buffer.from(markdown) } },
  });
  const [uploaded] = (await upload.json()).uploads;
  const html = await request.post("/api/documents", {
    multipart: {
      file: {
        name: `payload-${stamp}.html`,
        mimeType: "text/html",
        buffer: Buffer.from(`<html><body onload="window.__pwned=5"><p>The brass bell ${stamp} rings ${payload(6)} at dusk.</p></body></html>`),
      },
    },
  });
  expect(html.status()).toBe(202);
  const htmlId = (await html.json()).uploads[0].document.id;
  for (const id of [uploaded.document.id, htmlId]) await waitUntilReady(request, id);
  page.on("dialog", () => {
    throw new Error("a payload opened a dialog");
  });
  const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

  await page.goto(`/documents/${uploaded.document.id}`);
  await expect(page.getByRole("list", { name: "Chunks" })).toContainText(`quartz clock ${stamp}`);
  await page.getByRole("tab", { name: "Extracted text" }).click();
  expect(await pwned()).toBeUndefined();

  await page.goto(`/documents/${htmlId}`);
  await expect(page.getByRole("list", { name: "Chunks" })).toContainText(`brass bell ${stamp}`);
  expect(await pwned()).toBeUndefined();

  await page.goto(`/search?q=${encodeURIComponent(`quartz clock ${stamp} chimes`)}`);
  await expect(page.getByRole("list", { name: "Search results" })).toContainText(`quartz clock ${stamp}`);
  expect(await pwned()).toBeUndefined();

  await page.goto("/chat");
  await page.getByLabel("Your question").fill(`When does the quartz clock ${stamp} chime?`);
  await page.getByLabel("Your question").press("Enter");
  const answer = page.getByTestId("answer").last();
  await expect(answer).toHaveAttribute("aria-busy", "false");
  await expect(answer).toContainText(`quartz clock ${stamp}`);
  await answer.getByTestId("citation").first().hover();
  expect(await pwned()).toBeUndefined();
});

test("TRACE, which the Fetch standard forbids, gets 405 with the usual headers, not a bare 500", async ({ baseURL }) => {
  for (const path of ["/api/health", "/api/documents", "/"]) {
    const refused = await rawRequest(baseURL!, "TRACE", path);
    expect(refused.status, path).toBe(405);
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
    if (path.startsWith("/api/")) {
      expect(JSON.parse(refused.body).error).toEqual({ code: "method_not_allowed", message: "pgrag does not answer TRACE requests." });
    }
  }
  // Node's parser refuses TRACK before any code runs.
  expect((await rawRequest(baseURL!, "TRACK", "/api/health")).status).toBe(400);
});

test("limits count against the connection's address, whatever X-Forwarded-For says", async ({ baseURL }, testInfo) => {
  // A loopback address of this test's own, so the wait or the empty allowance it earns holds up no other test.
  const from = "127.0.9.1";
  const forged = (i: number) => ({ "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` });
  if (testInfo.project.name === "pglite") {
    // This server asks for a key: five wrong ones from one address, each naming another, and it waits.
    const wrong = (i: number) => rawRequest(baseURL!, "GET", "/api/documents", { from, headers: { authorization: "Bearer wrong-key-0123456789", ...forged(i) } });
    for (let i = 0; i < 5; i++) expect((await wrong(i)).status).toBe(401);
    const waiting = await wrong(99);
    expect(waiting.status).toBe(429);
    expect(JSON.parse(waiting.body).error.code).toBe("too_many_failures");
    return;
  }
  // This one trusts its network: the rate limit (300 a minute) holds all the same. A retry of a
  // document that does not exist is a limited request that costs the server nothing.
  // The allowance refills at 5 a second while the requests go out, so the 429 comes a little after the 300th.
  const retry = (i: number) => rawRequest(baseURL!, "POST", "/api/documents/2000000000/retry", { from, headers: forged(i) });
  let sent = 0;
  let answer = await retry(sent);
  while (answer.status === 404 && sent < 500) answer = await retry(++sent);
  expect(answer.status).toBe(429);
  expect(JSON.parse(answer.body).error.code).toBe("rate_limited");
  expect(sent).toBeGreaterThanOrEqual(300);
});
