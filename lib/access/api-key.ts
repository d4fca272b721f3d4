import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The optional API key (API_KEY). Scripts send it as `Authorization: Bearer
 * <key>`; the browser signs in once and then carries a cookie holding a hash
 * of it (never the key), which HttpOnly keeps away from page scripts.
 */
export const SESSION_COOKIE = "pgrag_session";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** The cookie value for a key: a hash, so a leaked cookie does not reveal the key. */
export function sessionToken(key: string): string {
  return digest(`pgrag-session\0${key}`).toString("hex");
}

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

/** Whether a session cookie is the one signing in with this key sets. */
export function hasSession(cookie: string | undefined, key: string): boolean {
  return cookie !== undefined && keyMatches(cookie, sessionToken(key));
}

export function isAuthorized(headers: Headers, cookie: string | undefined, key: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer !== undefined) return keyMatches(bearer, key);
  return hasSession(cookie, key);
}
