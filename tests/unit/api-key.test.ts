import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE, sessionToken } from "@/lib/access/api-key";

const KEY = "test-key-0123456789abcdef";

// The key is read once per process from the environment, as the server does.
beforeAll(() => vi.stubEnv("API_KEY", KEY));
afterAll(() => vi.unstubAllEnvs());

async function through(method: string, path: string, headers: Record<string, string> = {}) {
  const { proxy } = await import("@/proxy");
  return proxy(new NextRequest(`http://localhost${path}`, { method, headers }));
}

describe("the API key", () => {
  it("is required on every API path, by bearer header or the browser's session cookie", async () => {
    for (const [method, path] of [
      ["POST", "/api/search"],
      ["GET", "/api/documents"],
      ["GET", "/api/health"],
      ["POST", "/api/chat"],
      ["POST", "/search"],
      ["POST", "/ingest"],
      ["POST", "/answer"],
      ["POST", "/v1/chat/completions"],
      ["GET", "/v1/models"],
    ] as const) {
      const refused = await through(method, path);
      expect(refused.status, `${method} ${path}`).toBe(401);
      expect(refused.headers.get("www-authenticate")).toBe("Bearer");
      expect((await refused.json()).error.message).toMatch(/Authorization: Bearer <API_KEY>/);
      expect((await through(method, path, { authorization: "Bearer wrong-key-0123456789" })).status).toBe(401);
      expect((await through(method, path, { authorization: `Bearer ${KEY}` })).status, `${method} ${path}`).toBe(200);
      expect((await through(method, path, { cookie: `${SESSION_COOKIE}=${sessionToken(KEY)}` })).status).toBe(200);
      // The cookie holds a hash of the key; the key itself is not a valid cookie.
      expect((await through(method, path, { cookie: `${SESSION_COOKIE}=${KEY}` })).status).toBe(401);
    }
    const legacy = await through("POST", "/search", { authorization: `Bearer ${KEY}` });
    expect(legacy.headers.get("x-middleware-rewrite")).toBe("http://localhost/api/legacy/search");
  });

  it("leaves the pages and the sign-in endpoint open", async () => {
    for (const [method, path] of [
      ["GET", "/search"],
      ["GET", "/chat"],
      ["GET", "/api/session"],
      ["POST", "/api/session"],
    ] as const) {
      expect((await through(method, path)).status, `${method} ${path}`).toBe(200);
    }
  });

  it("signs a browser in with an HttpOnly cookie only for the right key", async () => {
    const session = await import("@/app/api/session/route");
    const post = (key: string) =>
      session.POST(new Request("http://localhost/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: key }) }));
    const wrong = await post("not-the-key-at-all");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const right = await post(KEY);
    expect(right.status).toBe(200);
    const cookie = right.headers.get("set-cookie")!;
    expect(cookie).toContain(`${SESSION_COOKIE}=${sessionToken(KEY)}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(KEY);
    const status = await session.GET(new Request("http://localhost/api/session", { headers: { cookie: cookie.split(";")[0]! } }));
    expect(await status.json()).toEqual({ required: true, signed_in: true });
    expect(await (await session.GET(new Request("http://localhost/api/session"))).json()).toEqual({ required: true, signed_in: false });
  });
});
