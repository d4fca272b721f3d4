import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isExpensive } from "@/lib/access/rate-limit";

// Read once per process from the environment, as the server does.
beforeAll(() => vi.stubEnv("TRUSTED_ORIGINS", "https://notes.example.com, http://localhost:4000/"));
afterAll(() => vi.unstubAllEnvs());

async function through(method: string, path: string, headers: Record<string, string> = {}) {
  const { proxy } = await import("@/proxy");
  return proxy(new NextRequest(`http://pgrag.example.com${path}`, { method, headers: { host: "pgrag.example.com", ...headers } }));
}

describe("requests from pages on other sites", () => {
  it("refuses every state-changing request a foreign page sends, whatever its path", async () => {
    for (const [method, path] of [
      ["POST", "/api/documents"],
      ["POST", "/api/search"],
      ["POST", "/api/chat"],
      ["DELETE", "/api/documents/1"],
      ["POST", "/api/documents/1/retry"],
      ["POST", "/api/reembed"],
      ["PATCH", "/api/conversations/1"],
      ["POST", "/api/session"],
      ["DELETE", "/api/session"],
      ["POST", "/ingest"],
      ["POST", "/v1/chat/completions"],
    ] as const) {
      const refused = await through(method, path, { origin: "https://evil.example.net", "sec-fetch-site": "cross-site" });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect((await refused.json()).error.message).toMatch(/another site.*TRUSTED_ORIGINS/);
    }
  });

  it("refuses a sibling subdomain, whose requests carry the session cookie, and an opaque origin", async () => {
    expect((await through("POST", "/api/search", { origin: "https://blog.example.com", "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await through("POST", "/api/search", { origin: "null" })).status).toBe(403);
    // A browser that sends only Sec-Fetch-Site is judged by it.
    expect((await through("POST", "/api/search", { "sec-fetch-site": "cross-site" })).status).toBe(403);
  });

  it("lets through the app's own pages, clients that are not browsers, reads, and TRUSTED_ORIGINS", async () => {
    expect((await through("POST", "/api/search", { origin: "http://pgrag.example.com", "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await through("POST", "/api/search")).status).toBe(200);
    expect((await through("GET", "/api/documents", { origin: "https://evil.example.net", "sec-fetch-site": "cross-site" })).status).toBe(200);
    expect((await through("POST", "/api/search", { origin: "https://notes.example.com", "sec-fetch-site": "cross-site" })).status).toBe(200);
    expect((await through("POST", "/api/search", { origin: "http://localhost:4000", "sec-fetch-site": "same-site" })).status).toBe(200);
  });
});

describe("the proxy's other refusals", () => {
  it("answers methods no route has (WebDAV's, made-up ones) with 405 and the methods it does answer", async () => {
    for (const method of ["PROPFIND", "MKCOL", "BREW"]) {
      const refused = await through(method, "/api/documents");
      expect(refused.status, method).toBe(405);
      expect(refused.headers.get("allow")).toContain("POST");
      expect((await refused.json()).error.code).toBe("method_not_allowed");
    }
  });

  it("does not serve the original demo's internal routes at their own addresses, only at /ingest, /search and /answer", async () => {
    for (const path of ["/api/legacy/search", "/api/legacy/answer", "/api/legacy/ingest"]) {
      expect((await through("POST", path)).status, path).toBe(404);
    }
    const rewritten = await through("POST", "/search", { "x-pgrag-rewritten": "forged" });
    expect(rewritten.headers.get("x-middleware-rewrite")).toBe("http://pgrag.example.com/api/legacy/search");
    // The standalone server runs the proxy again on the rewritten request: the mark this process set lets it through, a forged one does not.
    const mark = rewritten.headers.get("x-middleware-request-x-pgrag-rewritten");
    expect(mark).toMatch(/^[0-9a-f-]{36}$/);
    expect((await through("POST", "/api/legacy/search", { "x-pgrag-rewritten": mark! })).status).toBe(200);
    expect((await through("POST", "/api/legacy/search", { "x-pgrag-rewritten": "forged" })).status).toBe(404);
  });

  it("counts retries and re-embedding against the rate limit, as uploads are", () => {
    expect(isExpensive("POST", "/api/documents/12/retry")).toBe(true);
    expect(isExpensive("POST", "/api/reembed")).toBe(true);
    expect(isExpensive("GET", "/api/reembed")).toBe(false);
    expect(isExpensive("POST", "/api/documents/12/retry/extra")).toBe(false);
  });
});
