import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "@/lib/access/rate-limit";

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

describe("expensive requests through the proxy", () => {
  beforeAll(() => vi.stubEnv("RATE_LIMIT_PER_MINUTE", "3"));
  afterAll(() => vi.unstubAllEnvs());

  it("get 429 with Retry-After past the limit, per client, while cheap requests pass", async () => {
    const { proxy } = await import("@/proxy");
    const send = (method: string, path: string, client: string) =>
      proxy(new NextRequest(`http://localhost${path}`, { method, headers: { "x-forwarded-for": client } }));
    for (const path of ["/api/search", "/api/chat", "/search"]) expect(send("POST", path, "10.0.0.1").status).toBe(200);
    const limited = send("POST", "/v1/chat/completions", "10.0.0.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.message).toMatch(/at most 3 a minute \(RATE_LIMIT_PER_MINUTE\)\. Try again in \d+ s\./);
    expect(send("GET", "/api/documents", "10.0.0.1").status).toBe(200);
    expect(send("GET", "/api/conversations/1", "10.0.0.1").status).toBe(200);
    expect(send("POST", "/api/search", "10.0.0.2").status).toBe(200);
  });
});
