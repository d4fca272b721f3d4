import { NextResponse, type NextRequest } from "next/server";
import { isAuthorized, isProtected, SESSION_COOKIE } from "./lib/access/api-key";
import { checkKey, tooManyFailuresMessage, type KeyCheck } from "./lib/access/auth-failures";
import { isCrossSiteWrite } from "./lib/access/cross-site";
import { clientOf } from "./lib/access/client-address";
import { KNOWN_METHODS, sentMethod } from "./lib/access/methods";
import { createRateLimiter, isExpensive, type RateLimiter } from "./lib/access/rate-limit";
import { isSessionOpen } from "./lib/access/sessions";
import { toErrorResponse } from "./lib/api/http";
import { getConfig, type Config } from "./lib/config";
import { getAppContext } from "./lib/context";

/**
 * The original demo served its API at POST /ingest, /search and /answer. Those paths
 * keep working for its users' scripts, while GET on them stays free for pages.
 */
const LEGACY_ROUTES: Record<string, string> = {
  "/ingest": "/api/legacy/ingest",
  "/search": "/api/legacy/search",
  "/answer": "/api/legacy/answer",
};

const LEGACY_PREFIX = "/api/legacy/";
/** Marks a request this process rewrote to a legacy route; random per process, so a client cannot send it. */
const REWRITTEN_HEADER = "x-pgrag-rewritten";
const REWRITE_MARK = crypto.randomUUID();
const SESSION_PATH = "/api/session";

function refuse(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return NextResponse.json({ error: { code, message } }, { status, headers });
}

let limiter: RateLimiter | undefined;

/**
 * Before any route: with API_KEY set, the API answers only requests that carry
 * the key (or the browser's session cookie); each client's expensive requests
 * are rate-limited (RATE_LIMIT_PER_MINUTE).
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!KNOWN_METHODS.has(request.method)) {
    return refuse(405, "method_not_allowed", `pgrag does not answer ${sentMethod(request.method).slice(0, 20)} requests.`, { allow: [...KNOWN_METHODS].join(", ") });
  }
  // The original demo's routes live here, reached only through /ingest, /search
  // and /answer, where the key and the rate limit apply to them.
  if (pathname.startsWith(LEGACY_PREFIX)) {
    // The standalone server runs this proxy again on the rewritten request,
    // which this process marked: it was checked on its way in.
    if (request.headers.get(REWRITTEN_HEADER) === REWRITE_MARK) return NextResponse.next();
    return refuse(404, "not_found", "There is nothing at this address.");
  }
  const isProtectedPath = isProtected(request.method, pathname);
  if (isProtectedPath || pathname === SESSION_PATH) {
    let config: Config;
    try {
      config = getConfig();
    } catch (error) {
      // Misconfigured: refuse rather than serve the API unprotected.
      return refuse(503, "misconfigured", (error as Error).message);
    }
    if (isCrossSiteWrite(request.method, request.headers, config.TRUSTED_ORIGINS)) {
      return refuse(
        403,
        "cross_site_request",
        "pgrag refuses changes sent by a page on another site. Use pgrag's own pages, a client that is not a browser, or add the page's origin to TRUSTED_ORIGINS.",
      );
    }
    if (!isProtectedPath) return NextResponse.next();
    const apiKey = config.API_KEY;
    if (apiKey) {
      const cookie = request.cookies.get(SESSION_COOKIE)?.value;
      const presented = request.headers.has("authorization") || cookie !== undefined;
      let key: KeyCheck;
      try {
        key = await checkKey(clientOf(request.headers), presented, () =>
          isAuthorized(request.headers, cookie, apiKey, async (token) => isSessionOpen((await getAppContext()).database.db, token, apiKey)),
        );
      } catch (error) {
        // Sessions live in the database: when it cannot answer, neither could the route.
        return toErrorResponse(error);
      }
      if (!key.allowed && key.retryAfterSeconds) {
        return refuse(429, "too_many_failures", tooManyFailuresMessage(key.retryAfterSeconds), { "retry-after": String(key.retryAfterSeconds) });
      }
      if (!key.allowed) {
        return refuse(
          401,
          "unauthorized",
          "This pgrag needs its API key: send the header Authorization: Bearer <API_KEY>, or sign in with the key in the browser.",
          { "www-authenticate": "Bearer" },
        );
      }
    }
    if (config.RATE_LIMIT_PER_MINUTE > 0 && isExpensive(request.method, pathname)) {
      limiter ??= createRateLimiter(config.RATE_LIMIT_PER_MINUTE);
      const taken = limiter.take(clientOf(request.headers));
      if (!taken.allowed) {
        return refuse(
          429,
          "rate_limited",
          `Too many searches, questions or uploads from this client: at most ${config.RATE_LIMIT_PER_MINUTE} a minute (RATE_LIMIT_PER_MINUTE). Try again in ${taken.retryAfterSeconds} s.`,
          { "retry-after": String(taken.retryAfterSeconds) },
        );
      }
    }
  }
  const target = LEGACY_ROUTES[pathname];
  if (request.method !== "POST" || !target) return NextResponse.next();
  const headers = new Headers(request.headers);
  headers.set(REWRITTEN_HEADER, REWRITE_MARK);
  return NextResponse.rewrite(new URL(target, request.url), { request: { headers } });
}

export const config = { matcher: ["/ingest", "/search", "/answer", "/api/:path*", "/v1/:path*"] };
