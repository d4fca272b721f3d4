import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";

/** Methods some route answers; anything else (WebDAV's, made-up ones) gets 405 in proxy.ts, with the usual headers. */
export const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The Fetch standard forbids TRACE: Next.js cannot build a Request for one and
 * answers a bare 500 before proxy.ts runs. (The other two it forbids never
 * reach a request listener: Node's parser answers TRACK with 400, and CONNECT
 * goes to a 'connect' event no one listens to, which closes the connection.)
 */
const FORBIDDEN_BY_FETCH = new Set(["TRACE"]);
const RENAMED = "REFUSED-";

/**
 * Renames a forbidden method as Node's server receives the request (the
 * `http.server.request.start` diagnostics channel runs before any listener),
 * so proxy.ts refuses it like any other unknown method.
 */
export function renameForbiddenMethods(): void {
  const holder = globalThis as typeof globalThis & { __pgragRenamingMethods?: boolean };
  if (holder.__pgragRenamingMethods) return;
  holder.__pgragRenamingMethods = true;
  subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingMessage };
    if (request.method && FORBIDDEN_BY_FETCH.has(request.method.toUpperCase())) request.method = `${RENAMED}${request.method}`;
  });
}

/** The method as the client sent it, for the 405's sentence. */
export function sentMethod(method: string): string {
  return method.startsWith(RENAMED) ? method.slice(RENAMED.length) : method;
}
