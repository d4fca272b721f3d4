import { errorResponse, toErrorResponse } from "./http";
import { getConfig, largestRequestBytes, type Config } from "../config";
import { getAppContext } from "../context";
import { describeBytes } from "../byte-size";
import { isAuthorized, isProtected, sessionCookie } from "../access/api-key";
import { checkKey, tooManyFailuresMessage, type KeyCheck } from "../access/auth-failures";
import { clientOf } from "../access/client-address";
import { isCrossSiteWrite } from "../access/cross-site";
import { createRateLimiter, isExpensive, type RateLimiter } from "../access/rate-limit";
import { isSessionOpen } from "../access/sessions";

const SESSION_PATH = "/api/session";
/** Marks a request proxy.ts admitted; random per process, so a client cannot send it. */
const ADMITTED_HEADER = "x-pgrag-admitted";

// proxy.ts and the upload route are bundled apart: one limiter and one mark per process.
const holder = globalThis as typeof globalThis & { __pgragAdmission?: { mark: string; limiter?: RateLimiter } };
function state() {
  holder.__pgragAdmission ??= { mark: crypto.randomUUID() };
  return holder.__pgragAdmission;
}

/** The wrong-key throttle's answer, at the API and at sign-in. */
export function tooManyFailures(retryAfterSeconds: number): Response {
  return errorResponse(429, "too_many_failures", tooManyFailuresMessage(retryAfterSeconds), { "retry-after": String(retryAfterSeconds) });
}

/**
 * Whether a request may reach its route: with API_KEY set, the API answers
 * only requests that carry the key or an open session; a body larger than any
 * request may carry, a change sent by a page on another site, and a client
 * past its RATE_LIMIT_PER_MINUTE are refused. The refusal, or undefined.
 */
export async function refusal(method: string, pathname: string, headers: Headers): Promise<Response | undefined> {
  const isProtectedPath = isProtected(method, pathname);
  if (!isProtectedPath && pathname !== SESSION_PATH) return undefined;
  let config: Config;
  try {
    config = getConfig();
  } catch (error) {
    // Misconfigured: refuse rather than serve the API unprotected.
    return errorResponse(503, "misconfigured", (error as Error).message);
  }
  const declared = Number(headers.get("content-length") ?? 0);
  const largest = largestRequestBytes(config);
  if (declared > largest) {
    return errorResponse(
      413,
      "request_too_large",
      `This request carries ${describeBytes(declared)}; pgrag takes at most ${describeBytes(largest)} at once (MAX_UPLOAD_FILES files of MAX_UPLOAD_BYTES each). Send the files in several uploads.`,
    );
  }
  if (isCrossSiteWrite(method, headers, config.TRUSTED_ORIGINS)) {
    return errorResponse(
      403,
      "cross_site_request",
      "pgrag refuses changes sent by a page on another site. Use pgrag's own pages, a client that is not a browser, or add the page's origin to TRUSTED_ORIGINS.",
    );
  }
  if (!isProtectedPath) return undefined;
  const client = clientOf(headers);
  const apiKey = config.API_KEY;
  if (apiKey) {
    const cookie = sessionCookie(headers);
    const presented = headers.has("authorization") || cookie !== undefined;
    let key: KeyCheck;
    try {
      key = await checkKey(client, presented, () =>
        isAuthorized(headers, cookie, apiKey, async (token) => isSessionOpen((await getAppContext()).database.db, token, apiKey)),
      );
    } catch (error) {
      // Sessions live in the database: when it cannot answer, neither could the route.
      return toErrorResponse(error);
    }
    if (!key.allowed && key.retryAfterSeconds) {
      return tooManyFailures(key.retryAfterSeconds);
    }
    if (!key.allowed) {
      return errorResponse(
        401,
        "unauthorized",
        "This pgrag needs its API key: send the header Authorization: Bearer <API_KEY>, or sign in with the key in the browser.",
        { "www-authenticate": "Bearer" },
      );
    }
  }
  if (config.RATE_LIMIT_PER_MINUTE > 0 && isExpensive(method, pathname)) {
    const admission = state();
    admission.limiter ??= createRateLimiter(config.RATE_LIMIT_PER_MINUTE);
    const taken = admission.limiter.take(client);
    if (!taken.allowed) {
      return errorResponse(
        429,
        "rate_limited",
        `Too many searches, questions or uploads from this client: at most ${config.RATE_LIMIT_PER_MINUTE} a minute (RATE_LIMIT_PER_MINUTE). Try again in ${taken.retryAfterSeconds} s.`,
        { "retry-after": String(taken.retryAfterSeconds) },
      );
    }
  }
  return undefined;
}

/** The request headers proxy.ts passes on with a request it admitted. */
export function markAdmitted(headers: Headers): Headers {
  const marked = new Headers(headers);
  marked.set(ADMITTED_HEADER, state().mark);
  return marked;
}

/**
 * For a route proxy.ts does not see (an upload, whose body it would buffer
 * whole and cut at its limit): the refusal, unless the proxy admitted it.
 */
export async function refusalUnlessAdmitted(request: Request): Promise<Response | undefined> {
  if (request.headers.get(ADMITTED_HEADER) === state().mark) return undefined;
  return refusal(request.method, new URL(request.url).pathname, request.headers);
}
