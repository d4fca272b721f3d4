import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { watchArrivals } from "@/lib/access/arrival";

/**
 * A real HTTP server in front of `handle`, whose requests are stamped with
 * their client address as the app's are (instrumentation.ts). Linux answers
 * on every 127.x.y.z address, so a test plays distinct clients by connecting
 * from distinct ones.
 */
export async function serveThrough(handle: (request: Request) => Response | Promise<Response>, trustedProxies = 0) {
  watchArrivals(trustedProxies);
  const server = createServer(async (incoming, outgoing) => {
    const response = await handle(toRequest(incoming, await bodyOf(incoming)));
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  const { port } = server.address() as AddressInfo;

  /** Sends a request from `from` (a loopback address), as a client there would. */
  function send(method: string, path: string, { from = "127.0.0.1", headers = {}, body }: { from?: string; headers?: Record<string, string>; body?: string } = {}) {
    return new Promise<{ status: number; headers: IncomingMessage["headers"]; json(): unknown }>((resolve, reject) => {
      const sent = httpRequest({ host: "127.0.0.1", port, method, path, headers, localAddress: from }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (part: Buffer) => parts.push(part));
        answer.on("end", () => {
          const text = Buffer.concat(parts).toString();
          resolve({ status: answer.statusCode!, headers: answer.headers, json: () => JSON.parse(text) });
        });
      });
      sent.on("error", reject);
      sent.end(body);
    });
  }
  return { send, close: () => new Promise((resolve) => server.close(resolve)) };
}

function toRequest(incoming: IncomingMessage, body: Buffer) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(`http://${incoming.headers.host}${incoming.url}`, { method: incoming.method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

async function bodyOf(incoming: IncomingMessage) {
  const parts: Buffer[] = [];
  for await (const part of incoming) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
