import { parseSetCookie } from "cookie";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE } from "@/lib/access/api-key";
import { createAuthFailures } from "@/lib/access/auth-failures";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { createLocalEmbedder } from "@/lib/providers/embedding/local";
import { freshDatabase } from "../support/databases";
import { serveThrough } from "../support/front-door";

const KEY = "test-key-0123456789abcdef";

let proxyDoor: Awaited<ReturnType<typeof serveThrough>>;
let signInDoor: Awaited<ReturnType<typeof serveThrough>>;
// Sessions live in the database.
let context: AppContext;
const embedder = createLocalEmbedder({ threads: 1 });
// The key is read once per process from the environment, as the server does.
beforeAll(async () => {
  vi.stubEnv("API_KEY", KEY);
  context = await createAppContext(parseConfig({}), { database: await freshDatabase("pglite"), embedder });
  provideAppContext(Promise.resolve(context));
  const { proxy } = await import("@/proxy");
  const session = await import("@/app/api/session/route");
  proxyDoor = await serveThrough((request) => proxy(new NextRequest(request)));
  // The proxy, then the session route it lets through, as the server runs them.
  signInDoor = await serveThrough(async (request) => {
    const checked = await proxy(new NextRequest(request.clone()));
    if (checked.status !== 200) return checked;
    return request.method === "DELETE" ? session.DELETE(request) : request.method === "GET" ? session.GET(request) : session.POST(request);
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([proxyDoor.close(), signInDoor.close()]);
  await context.stopWorkers();
  await context.database.close();
  await embedder.close();
});

/** Signs in from `from` with the right key; the cookie's token. */
async function signIn(from: string): Promise<string> {
  const signedIn = await signInDoor.send("POST", "/api/session", {
    from,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ api_key: KEY }),
  });
  expect(signedIn.status).toBe(200);
  const cookie = String(signedIn.headers["set-cookie"]);
  return new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(cookie)![1]!;
}

/** From `from`, a loopback address: each test's client is an address of its own. */
function throughProxy(method: string, path: string, headers: Record<string, string> = {}, from?: string) {
  return proxyDoor.send(method, path, { headers, from });
}

describe("the API key", () => {
  it("is required on every API path, by bearer header or the browser's session cookie", async () => {
    let clients = 0;
    const token = await signIn("127.0.1.100");
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
      // A client of its own per path: five wrong keys from one client make it wait (tested below).
      const from = `127.0.1.${++clients}`;
      const through = (m: string, p: string, headers: Record<string, string> = {}) => throughProxy(m, p, headers, from);
      const refused = await through(method, path);
      expect(refused.status, `${method} ${path}`).toBe(401);
      expect(refused.headers["www-authenticate"]).toBe("Bearer");
      expect((refused.json() as { error: { message: string } }).error.message).toMatch(/Authorization: Bearer <API_KEY>/);
      expect((await through(method, path, { authorization: "Bearer wrong-key-0123456789" })).status).toBe(401);
      expect((await through(method, path, { authorization: `Bearer ${KEY}` })).status, `${method} ${path}`).toBe(200);
      expect((await through(method, path, { cookie: `${SESSION_COOKIE}=${token}` })).status).toBe(200);
      // Only a session this server opened is a valid cookie: not the key, nor anything made from it.
      expect((await through(method, path, { cookie: `${SESSION_COOKIE}=${KEY}` })).status).toBe(401);
    }
    const legacy = await throughProxy("POST", "/search", { authorization: `Bearer ${KEY}` });
    expect(legacy.headers["x-middleware-rewrite"]).toMatch(/^http:\/\/[^/]+\/api\/legacy\/search$/);
  });

  it("holds a file upload, which passes the proxy by, to the key in its route", async () => {
    const documents = await import("@/app/api/documents/route");
    // As Next.js runs it: multipart uploads to /api/documents skip proxy.ts (see its matcher).
    const uploadDoor = await serveThrough((request) => documents.POST(request));
    const upload = (headers: Record<string, string>) =>
      uploadDoor.send("POST", "/api/documents", {
        from: "127.0.6.1",
        headers: { "content-type": "multipart/form-data; boundary=b", ...headers },
        body: '--b\r\nContent-Disposition: form-data; name="files"; filename="note.txt"\r\n\r\nOtters hold hands.\r\n--b--\r\n',
      });
    expect((await upload({})).status).toBe(401);
    expect((await upload({ "x-pgrag-admitted": "forged" })).status).toBe(401);
    expect((await upload({ authorization: `Bearer ${KEY}` })).status).toBe(202);
    await uploadDoor.close();
  });

  it("leaves the pages and the sign-in endpoint open", async () => {
    for (const [method, path] of [
      ["GET", "/search"],
      ["GET", "/chat"],
      ["GET", "/api/session"],
      ["POST", "/api/session"],
    ] as const) {
      expect((await throughProxy(method, path)).status, `${method} ${path}`).toBe(200);
    }
  });

  it("signs a browser in with an HttpOnly cookie of its own only for the right key, and out for good", async () => {
    const from = "127.0.5.1";
    const send = (method: string, headers: Record<string, string> = {}, body?: string) =>
      signInDoor.send(method, "/api/session", { from, headers: { "content-type": "application/json", ...headers }, body });
    const wrong = await send("POST", {}, JSON.stringify({ api_key: "not-the-key-at-all" }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    const right = await send("POST", {}, JSON.stringify({ api_key: KEY }));
    const cookie = String(right.headers["set-cookie"]);
    expect(parseSetCookie(cookie)).toEqual({
      name: SESSION_COOKIE,
      value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      path: "/",
      maxAge: 2592000,
      httpOnly: true,
      sameSite: "strict",
    });
    const token = cookie.split(";")[0]!;
    // Random, not made from the key: two sign-ins get two sessions.
    expect(token).not.toBe(`${SESSION_COOKIE}=${await signIn(from)}`);
    expect((await send("GET", { cookie: token })).json()).toEqual({ required: true, signed_in: true });
    expect((await send("GET")).json()).toEqual({ required: true, signed_in: false });
    expect((await proxyDoor.send("GET", "/api/documents", { from, headers: { cookie: token } })).status).toBe(200);

    const ended = (await send("DELETE", { cookie: token })).headers["set-cookie"] as string[];
    expect(ended.map((header) => parseSetCookie(header))).toEqual([{ name: SESSION_COOKIE, value: "", path: "/", maxAge: 0, httpOnly: true, sameSite: "strict" }]);
    // A copy of the cookie kept from before signing out opens nothing.
    expect((await send("GET", { cookie: token })).json()).toEqual({ required: true, signed_in: false });
    expect((await proxyDoor.send("GET", "/api/documents", { from, headers: { cookie: token } })).status).toBe(401);
  });
});

describe("wrong keys", () => {
  it("are free five times, then each makes the client wait twice as long, up to 15 minutes", () => {
    const failures = createAuthFailures();
    const start = 1_000_000;
    for (let i = 0; i < 5; i++) expect(failures.fail("a", start)).toBeUndefined();
    expect(failures.fail("a", start)).toBe(1);
    expect(failures.wait("a", start + 500)).toBe(1);
    expect(failures.wait("a", start + 1000)).toBeUndefined();
    expect(failures.fail("a", start + 1000)).toBe(2);
    expect(failures.fail("a", start + 3000)).toBe(4);
    for (let i = 0; i < 20; i++) failures.fail("a", start + 4000);
    expect(failures.wait("a", start + 4000)).toBe(900);
    expect(failures.wait("b", start)).toBeUndefined();
    // An hour without failing, or the right key at sign-in, starts the client afresh.
    expect(failures.fail("a", start + 4000 + 3_600_001)).toBeUndefined();
    failures.succeed("a");
    expect(failures.wait("a", start + 4000)).toBeUndefined();
  });

  it("make a client wait at the proxy, where then even the right key is refused, and a request without a key is no guess", async () => {
    const from = "127.0.2.1";
    const wrong = (forwardedFor: string) =>
      throughProxy("GET", "/api/documents", { authorization: "Bearer wrong-key-0123456789", "x-forwarded-for": forwardedFor }, from);
    for (let i = 0; i < 5; i++) expect((await throughProxy("GET", "/api/documents", {}, from)).status).toBe(401);
    // Naming another address in X-Forwarded-For each time does not make a new client.
    for (let i = 0; i < 5; i++) expect((await wrong(`198.51.100.${i}`)).status).toBe(401);
    const waiting = await wrong("198.51.100.99");
    expect(waiting.status).toBe(429);
    expect(waiting.headers["retry-after"]).toBe("1");
    expect((waiting.json() as { error: unknown }).error).toEqual({
      code: "too_many_failures",
      message: "Too many wrong API keys from this client: try again in 1 s.",
    });
    expect((await throughProxy("GET", "/api/documents", { authorization: `Bearer ${KEY}` }, from)).status).toBe(429);
    expect((await throughProxy("GET", "/api/documents", { authorization: `Bearer ${KEY}` }, "127.0.2.2")).status).toBe(200);
  });

  it("make a client wait at sign-in too, and the right key there clears its record", async () => {
    const post = (key: string) =>
      signInDoor.send("POST", "/api/session", { from: "127.0.3.1", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: key }) });
    for (let i = 0; i < 4; i++) expect((await post("not-the-key-at-all")).status).toBe(401);
    expect((await post(KEY)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post("not-the-key-at-all")).status).toBe(401);
    const waiting = await post("not-the-key-at-all");
    expect(waiting.status).toBe(429);
    expect(waiting.headers["retry-after"]).toBe("1");
    expect((await post(KEY)).status).toBe(429);
  });
});
