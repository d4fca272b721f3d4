import { createHash, timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";

/**
 * The optional API key (API_KEY). Scripts send it as `Authorization: Bearer
 * <key>`; the browser signs in once and then carries a session cookie
 * (sessions.ts: a random token, nothing derived from the key), which HttpOnly
 * keeps away from page scripts.
 */
export const SESSION_COOKIE = "pgrag_session";

/** The session cookie's value, from a Cookie header. */
export function sessionCookie(headers: Headers): string | undefined {
  return parseCookie(headers.get("cookie") ?? "")[SESSION_COOKIE] || undefined;
}

/** The Set-Cookie header that opens a session (a token and how long it lasts) or, with no token, ends it. */
export function sessionSetCookie(session: { token: string; seconds: number } | null, secure: boolean): string {
  return stringifySetCookie(SESSION_COOKIE, session?.token ?? "", {
    path: "/",
    maxAge: session?.seconds ?? 0,
    httpOnly: true,
    sameSite: "strict",
    secure,
  });
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compares in constant time, so response timing says nothing about how much of a guess was right. */
export function keyMatches(presented: string, key: string): boolean {
  return timingSafeEqual(digest(presented), digest(key));
}

/** The API: every /api and /v1 route, and the original demo's POST endpoints; the pages and /api/session stay open. */
export function isProtected(method: string, pathname: string): boolean {
  if (pathname === "/api/session") return false;
  if (pathname.startsWith("/api/") || pathname.startsWith("/v1/")) return true;
  return method === "POST" && ["/ingest", "/search", "/answer"].includes(pathname);
}

/** The bearer key if one was sent, else the session cookie, as `isSessionOpen` judges it. */
export async function isAuthorized(
  headers: Headers,
  cookie: string | undefined,
  key: string,
  isSessionOpen: (token: string) => Promise<boolean>,
): Promise<boolean> {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer !== undefined) return keyMatches(bearer, key);
  return cookie !== undefined && isSessionOpen(cookie);
}
