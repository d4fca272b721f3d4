import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/**
 * Who sent a request, for the rate limit and the wrong-key throttle: the
 * connection's address, or, behind proxies, the address the nearest trusted
 * one recorded. Never a header a client can set on its own: Next.js keeps an
 * X-Forwarded-For the client sent (it fills one in only when absent) and runs
 * no code of ours before its router, so the address is stamped on each
 * request as Node's HTTP server receives it (arrival.ts), in a header of our
 * own.
 */
const CLIENT_HEADER = "x-pgrag-client";

// Random per process, shared by the bundles of one server through globalThis:
// a request that reached the router before the stamp was in place (start-up)
// carries no header with it, so a client cannot send one that is believed.
const holder = globalThis as typeof globalThis & { __pgragClientMark?: string };
function mark() {
  holder.__pgragClientMark ??= crypto.randomUUID();
  return holder.__pgragClientMark;
}

/**
 * The client behind `trustedProxies` proxies: the socket's peer when none is
 * trusted; otherwise the address the outermost trusted proxy recorded, counted
 * from the right of X-Forwarded-For (entries further left are whatever the
 * client wrote). A chain shorter than promised yields its leftmost address.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxies: number): string {
  const peer = normalizeAddress(socketAddress ?? "unknown");
  if (trustedProxies === 0 || !forwardedFor) return peer;
  const chain = [...forwardedFor.split(",").map((entry) => normalizeAddress(entry.trim())).filter(Boolean), peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
}

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; one client, one spelling. */
function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").slice(0, 100);
}

/** Stamps a request as it arrives with the client it came from, over any header of that name the client sent. */
export function stampClientAddress(request: IncomingMessage, socket: Socket, trustedProxies: number): void {
  const forwarded = request.headers["x-forwarded-for"];
  const address = clientAddress(socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trustedProxies);
  request.headers[CLIENT_HEADER] = `${mark()} ${address}`;
}

/** The client a stamped request came from; "unknown" for one that was not stamped by this process. */
export function clientOf(headers: Headers): string {
  const [stamped, address] = headers.get(CLIENT_HEADER)?.split(" ") ?? [];
  return stamped === mark() && address ? address : "unknown";
}
