import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, ne, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { browserSessions } from "../db/schema";

/** How long a browser stays signed in without signing in again. */
export const SESSION_SECONDS = 30 * 24 * 60 * 60;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** Which key opened a session: a session opened with an earlier API_KEY is no longer open. */
const keyFingerprint = (key: string) => sha256(`pgrag-key\0${key}`);
/** 32 random bytes, base64url: anything else is not a token this server issued. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Signs a browser in: a random token for its cookie; the database keeps only the token's hash. */
export async function openSession(db: Database, key: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // Sessions that ended by time or by a change of key are forgotten on the way.
  await db
    .delete(browserSessions)
    .where(or(lt(browserSessions.expiresAt, sql`now()`), ne(browserSessions.keyFingerprint, keyFingerprint(key))));
  await db.insert(browserSessions).values({
    tokenHash: sha256(token),
    keyFingerprint: keyFingerprint(key),
    expiresAt: sql`now() + make_interval(secs => ${SESSION_SECONDS})`,
  });
  return token;
}

/** Whether a cookie's token is a session this key opened, not yet ended. */
export async function isSessionOpen(db: Database, token: string, key: string): Promise<boolean> {
  if (!TOKEN.test(token)) return false;
  const rows = await db
    .select({ tokenHash: browserSessions.tokenHash })
    .from(browserSessions)
    .where(
      and(
        eq(browserSessions.tokenHash, sha256(token)),
        eq(browserSessions.keyFingerprint, keyFingerprint(key)),
        gt(browserSessions.expiresAt, sql`now()`),
      ),
    );
  return rows.length > 0;
}

/** Signs a browser out: its token opens nothing from now on, wherever it was copied to. */
export async function closeSession(db: Database, token: string): Promise<void> {
  if (!TOKEN.test(token)) return;
  await db.delete(browserSessions).where(eq(browserSessions.tokenHash, sha256(token)));
}
