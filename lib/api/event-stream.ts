import "server-only";

/** One server-sent event as the wire carries it: an event name, JSON data, or a comment that keeps the connection alive. */
export type WireEvent = { event?: string; data: unknown } | { comment: string } | { retryMs: number } | { rawData: string };

/** Formats an event by the server-sent-events rules; every stream the server sends is written here. */
export function serverSentEvent(wire: WireEvent): string {
  if ("comment" in wire) return `: ${wire.comment}\n\n`;
  if ("retryMs" in wire) return `retry: ${wire.retryMs}\n\n`;
  // JSON never holds a raw line break, so one data line carries the whole value.
  const data = "rawData" in wire ? wire.rawData : JSON.stringify(wire.data);
  return `${"event" in wire && wire.event ? `event: ${wire.event}\n` : ""}data: ${data}\n\n`;
}

/**
 * Streams events as server-sent events. Unless told otherwise, the first event
 * is awaited before the response starts, so a request that fails at once (an
 * unknown conversation, an unreachable model) still gets its proper status
 * code. The generator is always run to its end, even after the client goes
 * away, because the end is where an answer is saved; `abort` tells it the
 * client left.
 */
export async function eventStreamResponse<Event>(
  start: (signal: AbortSignal) => AsyncGenerator<Event>,
  options: {
    signal?: AbortSignal;
    toWire: (event: Event) => WireEvent;
    onFailure: (error: unknown) => WireEvent;
    /** Written before any event: a stream with nothing to say yet (document progress) starts at once. */
    opening?: WireEvent;
  },
): Promise<Response> {
  const abort = new AbortController();
  options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  const events = start(abort.signal);
  const first = options.opening ? undefined : await events.next();
  const encoder = new TextEncoder();
  let open = true;

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (wire: WireEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(serverSentEvent(wire)));
        } catch {
          open = false;
        }
      };
      try {
        if (options.opening) send(options.opening);
        if (first && !first.done) send(options.toWire(first.value));
        for (let next = await events.next(); !next.done; next = await events.next()) send(options.toWire(next.value));
      } catch (error) {
        send(options.onFailure(error));
      }
      if (open) controller.close();
    },
    cancel() {
      open = false;
      abort.abort();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
