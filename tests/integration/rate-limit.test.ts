import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientAddress } from "@/lib/access/client-address";
import { createRateLimiter } from "@/lib/access/rate-limit";
import { serveThrough } from "../support/front-door";

describe("the rate limiter", () => {
  it("allows a minute's worth at once, then refills steadily, per client", () => {
    const limiter = createRateLimiter(60);
    const start = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limiter.take("a", start).allowed).toBe(true);
    expect(limiter.take("a", start)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("b", start).allowed).toBe(true);
    expect(limiter.take("a", start + 1000).allowed).toBe(true);
    expect(limiter.take("a", start + 1000).allowed).toBe(false);
    // An idle minute gives the whole allowance back, never more.
    for (let i = 0; i < 60; i++) expect(limiter.take("a", start + 70_000).allowed).toBe(true);
    expect(limiter.take("a", start + 70_000).allowed).toBe(false);
  });
});

describe("the client a request is counted against", () => {
  it("is the connection's address unless proxies are trusted, then the one the outermost trusted proxy recorded", () => {
    expect(clientAddress("::ffff:10.0.0.9", undefined, 0)).toBe("10.0.0.9");
    expect(clientAddress("10.0.0.9", "203.0.113.1, 198.51.100.2", 0)).toBe("10.0.0.9");
    // Behind one proxy: what it appended (the rightmost entry); the rest is whatever the client wrote.
    expect(clientAddress("10.0.0.9", "203.0.113.1, 198.51.100.2", 1)).toBe("198.51.100.2");
    expect(clientAddress("10.0.0.9", "203.0.113.1, 198.51.100.2", 2)).toBe("203.0.113.1");
    // A chain shorter than promised: its leftmost address, never a value from beyond it.
    expect(clientAddress("10.0.0.9", "198.51.100.2", 3)).toBe("198.51.100.2");
    expect(clientAddress("10.0.0.9", "", 1)).toBe("10.0.0.9");
  });
});

describe("expensive requests through the proxy", () => {
  let frontDoor: Awaited<ReturnType<typeof serveThrough>>;
  beforeAll(async () => {
    vi.stubEnv("RATE_LIMIT_PER_MINUTE", "3");
    const { proxy } = await import("@/proxy");
    frontDoor = await serveThrough((request) => proxy(new NextRequest(request)));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await frontDoor.close();
  });

  it("get 429 with Retry-After past the limit, per client, while cheap requests pass", async () => {
    const send = (method: string, path: string, from: string, headers: Record<string, string> = {}) =>
      frontDoor.send(method, path, { from, headers });
    for (const path of ["/api/search", "/api/chat", "/search"]) expect((await send("POST", path, "127.0.4.1")).status).toBe(200);
    const limited = await send("POST", "/v1/chat/completions", "127.0.4.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((limited.json() as { error: { message: string } }).error.message).toMatch(
      /at most 3 a minute \(RATE_LIMIT_PER_MINUTE\)\. Try again in \d+ s\./,
    );
    // A forwarding header of the client's own choosing does not buy a fresh allowance.
    for (const forged of ["198.51.100.7", "anything at all"]) {
      expect((await send("POST", "/api/search", "127.0.4.1", { "x-forwarded-for": forged, "x-real-ip": forged, "x-pgrag-client": forged })).status).toBe(429);
    }
    expect((await send("GET", "/api/documents", "127.0.4.1")).status).toBe(200);
    expect((await send("GET", "/api/conversations/1", "127.0.4.1")).status).toBe(200);
    expect((await send("POST", "/api/search", "127.0.4.2")).status).toBe(200);
  });
});
