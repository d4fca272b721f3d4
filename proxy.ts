import { NextResponse, type NextRequest } from "next/server";
import { markAdmitted, refusal } from "./lib/api/admission";
import { KNOWN_METHODS, sentMethod } from "./lib/access/methods";
import { errorResponse } from "./lib/api/http";

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

/**
 * Before any route: unknown methods and the legacy routes' own addresses are
 * refused, and every API request is admitted or refused (lib/api/admission:
 * API key or session, size, cross-site, rate limit).
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!KNOWN_METHODS.has(request.method)) {
    return errorResponse(405, "method_not_allowed", `pgrag does not answer ${sentMethod(request.method).slice(0, 20)} requests.`, { allow: [...KNOWN_METHODS].join(", ") });
  }
  // The original demo's routes live here, reached only through /ingest, /search
  // and /answer, where the key and the rate limit apply to them.
  if (pathname.startsWith(LEGACY_PREFIX)) {
    // The standalone server runs this proxy again on the rewritten request,
    // which this process marked: it was checked on its way in.
    if (request.headers.get(REWRITTEN_HEADER) === REWRITE_MARK) return NextResponse.next();
    return errorResponse(404, "not_found", "There is nothing at this address.");
  }
  const refused = await refusal(request.method, pathname, request.headers);
  if (refused) return refused;
  const headers = markAdmitted(request.headers);
  const target = LEGACY_ROUTES[pathname];
  if (request.method !== "POST" || !target) return NextResponse.next({ request: { headers } });
  headers.set(REWRITTEN_HEADER, REWRITE_MARK);
  return NextResponse.rewrite(new URL(target, request.url), { request: { headers } });
}

/**
 * Next.js buffers the whole body of every request this proxy sees (and cuts it
 * at proxyClientMaxBodySize), so a file upload to /api/documents passes it by:
 * the route streams the files and admits the request itself first
 * (refusalUnlessAdmitted), answering an oversized one before reading it.
 */
export const config = {
  matcher: [
    "/ingest",
    "/search",
    "/answer",
    "/v1/:path*",
    "/api/((?!documents$).*)",
    { source: "/api/documents", missing: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
  ],
};
