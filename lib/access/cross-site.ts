/**
 * Whether a state-changing request comes from a page on another origin: a
 * browser says so with Origin and Sec-Fetch-Site on every POST, PUT, PATCH and
 * DELETE, and a page elsewhere (even on a sibling subdomain, whose requests
 * carry the session cookie) must not write to this instance. Clients that are
 * not browsers (curl, SDKs, scripts) send neither header and are not affected.
 */
export function isCrossSiteWrite(method: string, headers: Headers, trustedOrigins: readonly string[]): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method)) return false;
  const origin = headers.get("origin");
  if (origin !== null && trustedOrigins.includes(origin)) return false;
  if (origin !== null && origin !== "null") {
    const hosts = [headers.get("host"), headers.get("x-forwarded-host")].filter((host): host is string => host !== null);
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return true;
    }
    if (!hosts.includes(originHost)) return true;
  } else if (origin === "null") {
    // Sandboxed frames and some redirects: an origin that cannot be checked.
    return true;
  }
  const site = headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}
