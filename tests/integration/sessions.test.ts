import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { closeSession, isSessionOpen, openSession } from "@/lib/access/sessions";
import { engines, freshDatabase } from "../support/databases";

describe.each(engines)("browser sessions on %s", (engine) => {
  let database: DatabaseHandle;
  const key = "first-key-0123456789abcdef";
  beforeAll(async () => {
    database = await freshDatabase(engine);
  });
  afterAll(() => database.close());

  it("open with a random token whose hash alone is stored, and end at sign-out", async () => {
    const token = await openSession(database.db, key);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await openSession(database.db, key)).not.toBe(token);
    const stored = await database.db.execute<{ token_hash: string }>(sql`select token_hash from browser_sessions`);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await isSessionOpen(database.db, token, key)).toBe(true);
    await closeSession(database.db, token);
    expect(await isSessionOpen(database.db, token, key)).toBe(false);
  });

  it("end when API_KEY changes, and after 30 days", async () => {
    const token = await openSession(database.db, key);
    expect(await isSessionOpen(database.db, token, "second-key-0123456789abcdef")).toBe(false);
    // Signing in with the new key forgets every session of the old one.
    await openSession(database.db, "second-key-0123456789abcdef");
    expect(await isSessionOpen(database.db, token, key)).toBe(false);

    const aging = await openSession(database.db, key);
    await database.db.execute(sql`update browser_sessions set expires_at = now() - interval '1 second'`);
    expect(await isSessionOpen(database.db, aging, key)).toBe(false);
  });

  it("refuse what this server never issued", async () => {
    for (const token of ["", key, "a".repeat(43), "../../etc/passwd", "x".repeat(10_000)]) {
      expect(await isSessionOpen(database.db, token, key)).toBe(false);
    }
  });
});
