import { NextResponse, type NextRequest } from "next/server";
import { isAuthorized, isProtected, SESSION_COOKIE } from "./lib/access/api-key";
import { getConfig } from "./lib/config";

/**
 * The original demo served its API at POST /ingest, /search and /answer. Those paths
 * keep working for its users' scripts, while GET on them stays free for pages.
 */
const LEGACY_ROUTES: Record<string, string> = {
  "/ingest": "/api/legacy/ingest",
  "/search": "/api/legacy/search",
  "/answer": "/api/legacy/answer",
};

function refuse(status: number, code: string, message: string) {
  return NextResponse.json({ error: { code, message } }, { status, headers: status === 401 ? { "www-authenticate": "Bearer" } : {} });
}

/** With API_KEY set, the API answers only requests that carry the key (or the browser's session cookie). */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (isProtected(request.method, pathname)) {
    let key: string | undefined;
    try {
      key = getConfig().API_KEY;
    } catch (error) {
      // Misconfigured: refuse rather than serve the API unprotected.
      return refuse(503, "misconfigured", (error as Error).message);
    }
    if (key && !isAuthorized(request.headers, request.cookies.get(SESSION_COOKIE)?.value, key)) {
      return refuse(
        401,
        "unauthorized",
        "This pgrag needs its API key: send the header Authorization: Bearer <API_KEY>, or sign in with the key in the browser.",
      );
    }
  }
  const target = LEGACY_ROUTES[pathname];
  if (request.method !== "POST" || !target) return NextResponse.next();
  return NextResponse.rewrite(new URL(target, request.url));
}

export const config = { matcher: ["/ingest", "/search", "/answer", "/api/:path*", "/v1/:path*"] };
