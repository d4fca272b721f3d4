import type { IncomingMessage } from "node:http";

/** Methods some route answers; anything else (WebDAV's, made-up ones) gets 405 in proxy.ts, with the usual headers. */
export const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The Fetch standard forbids TRACE: Next.js cannot build a Request for one and
 * answers a bare 500 before proxy.ts runs. (The other two it forbids never
 * reach a request listener: Node's parser answers TRACK with 400, and CONNECT
 * goes to a 'connect' event no one listens to, which closes the connection.)
 */
const FORBIDDEN_BY_FETCH = "TRACE";
const RENAMED = "REFUSED-";

/** Renames a forbidden method as the request arrives (arrival.ts), so proxy.ts refuses it like any other unknown method. */
export function renameForbiddenMethod(request: IncomingMessage): void {
  // Node's parser accepts methods in capitals only.
  if (request.method === FORBIDDEN_BY_FETCH) request.method = `${RENAMED}${request.method}`;
}

/** The method as the client sent it, for the 405's sentence. */
export function sentMethod(method: string): string {
  return method.startsWith(RENAMED) ? method.slice(RENAMED.length) : method;
}
