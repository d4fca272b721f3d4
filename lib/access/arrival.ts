import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { stampClientAddress } from "./client-address";
import { renameForbiddenMethod } from "./methods";

/**
 * What must happen to a request before Next.js sees it, where no route or
 * proxy code of ours can run: Node publishes every request it receives on the
 * `http.server.request.start` diagnostics channel (public API) before any
 * request listener runs. Subscribed once per process.
 */
export function watchArrivals(trustedProxies: number): void {
  const holder = globalThis as typeof globalThis & { __pgragWatchingArrivals?: boolean };
  if (holder.__pgragWatchingArrivals) return;
  holder.__pgragWatchingArrivals = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    stampClientAddress(request, socket, trustedProxies);
    renameForbiddenMethod(request);
  });
}
