import "server-only";
import type { Database } from "../db/client";
import { documentsChangedSince, type DocumentSummary } from "./library";

/**
 * Server-sent events of document changes, read from the database so that
 * progress made by any app instance reaches every browser. The cursor steps
 * back a little each time, since a change committed late can carry an earlier
 * timestamp; what was already sent is not sent twice.
 */
export function documentEvents(
  db: Database,
  present: (document: DocumentSummary) => unknown,
  options: { signal: AbortSignal; intervalMs?: number; since?: Date },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const intervalMs = options.intervalMs ?? 500;
  const overlapMs = 2000;
  let cursor = options.since ?? new Date();
  const sent = new Map<number, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticks = 0;

  return new ReadableStream({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          stop();
        }
      };
      const stop = () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      options.signal.addEventListener("abort", stop, { once: true });
      send("retry: 2000\n\n");

      const poll = async () => {
        if (options.signal.aborted) return;
        try {
          const changed = await documentsChangedSince(db, new Date(cursor.getTime() - overlapMs));
          for (const document of changed) {
            const stamp = document.updatedAt.getTime();
            if ((sent.get(document.id) ?? 0) >= stamp) continue;
            sent.set(document.id, stamp);
            if (stamp > cursor.getTime()) cursor = document.updatedAt;
            send(`event: document\ndata: ${JSON.stringify(present(document))}\n\n`);
          }
          // A comment now and then keeps proxies from closing an idle stream.
          if (++ticks % 30 === 0) send(": keep-alive\n\n");
        } catch (error) {
          send(`event: problem\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
        }
        timer = setTimeout(poll, intervalMs);
      };
      void poll();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
