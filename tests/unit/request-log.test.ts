import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ConfigError, parseConfig } from "@/lib/config";

describe("request logs", () => {
  beforeEach(() => vi.stubEnv("LOG_REQUESTS", "true"));
  afterEach(() => vi.unstubAllEnvs());

  it("write one JSON line per request with method, path, status and latency, and never headers, query or body", async () => {
    const { readJson, route } = await import("@/lib/api/http");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const handler = route(async (request: Request) => {
      await readJson(request, z.object({ n: z.number() }), 1024);
      return Response.json({ ok: true });
    });
    const secret = "sk-live-do-not-log-me";
    const request = (body: string) =>
      new Request("http://localhost/api/search?q=private+words", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body,
      });
    expect((await handler(request('{"n":1}'))).status).toBe(200);
    expect((await handler(request(`{"n":"${secret}"}`))).status).toBe(422);

    const lines = log.mock.calls.map((call) => String(call[0]));
    expect(lines).toHaveLength(2);
    const [ok, refused] = lines.map((line) => JSON.parse(line));
    expect(ok).toMatchObject({ level: "info", method: "POST", path: "/api/search", status: 200 });
    expect(refused).toMatchObject({ level: "warn", status: 422 });
    expect(typeof ok.ms).toBe("number");
    expect(lines.join("\n")).not.toMatch(/sk-live|private|Bearer/);
    log.mockRestore();
  });
});

describe("configuration errors", () => {
  it("never repeat a key or a password", () => {
    expect(() => parseConfig({ DATABASE_URL: "mysql://app:hunter2@db/rag" })).toThrow(ConfigError);
    try {
      parseConfig({ DATABASE_URL: "mysql://app:hunter2@db/rag" });
    } catch (error) {
      expect((error as Error).message).toContain("mysql://app:***@db/rag");
      expect((error as Error).message).not.toContain("hunter2");
    }
    expect(() => parseConfig({ API_KEY: "short-secret" })).toThrow(/API_KEY \(got "\(hidden\)"\): must be at least 16 characters/);
  });
});
