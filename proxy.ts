import { NextResponse, type NextRequest } from "next/server";

/**
 * The original demo served its API at POST /ingest, /search and /answer. Those paths
 * keep working for its users' scripts, while GET on them stays free for pages.
 */
const LEGACY_ROUTES: Record<string, string> = {
  "/ingest": "/api/legacy/ingest",
  "/search": "/api/legacy/search",
  "/answer": "/api/legacy/answer",
};

export function proxy(request: NextRequest) {
  const target = LEGACY_ROUTES[request.nextUrl.pathname];
  if (request.method !== "POST" || !target) return NextResponse.next();
  return NextResponse.rewrite(new URL(target, request.url));
}

export const config = { matcher: ["/ingest", "/search", "/answer"] };
