import "server-only";

/**
 * Streams events as server-sent events. The first event is awaited before the
 * response starts, so a request that fails at once (an unknown conversation,
 * an unreachable model) still gets its proper status code. The generator is
 * always run to its end, even after the client goes away, because the end is
 * where an answer is saved; `abort` tells it the client left.
 */
export async function eventStreamResponse<Event extends { type: string }>(
  start: (signal: AbortSignal) => AsyncGenerator<Event>,
  options: { signal?: AbortSignal; format?: (event: Event) => string; onFailure: (error: unknown) => Event },
): Promise<Response> {
  const abort = new AbortController();
  options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  const events = start(abort.signal);
  const first = await events.next();
  const format = options.format ?? ((event: Event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const encoder = new TextEncoder();
  let open = true;

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: Event) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(format(event)));
        } catch {
          open = false;
        }
      };
      try {
        if (!first.done) send(first.value);
        for (let next = await events.next(); !next.done; next = await events.next()) send(next.value);
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
