import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../db/client";
import { documentsChangedSince, type DocumentSummary } from "./library";

export type DocumentChange =
  | { type: "document"; document: DocumentSummary }
  | { type: "problem"; message: string }
  /** Nothing changed for a while: a stream says so now and then, so proxies do not close it as idle. */
  | { type: "quiet" };

const QUIET_EVERY_POLLS = 30;

/**
 * Document changes, read from the database so that progress made by any app
 * instance reaches every browser, until `signal` aborts. The cursor steps back
 * a little each time, since a change committed late can carry an earlier
 * timestamp; what was already reported is not reported twice.
 */
export async function* documentChanges(
  db: Database,
  options: { signal: AbortSignal; intervalMs?: number; since?: Date },
): AsyncGenerator<DocumentChange> {
  const intervalMs = options.intervalMs ?? 500;
  const overlapMs = 2000;
  let cursor = options.since ?? new Date();
  const reported = new Map<number, number>();
  for (let polls = 1; !options.signal.aborted; polls++) {
    try {
      for (const document of await documentsChangedSince(db, new Date(cursor.getTime() - overlapMs))) {
        const stamp = document.updatedAt.getTime();
        if ((reported.get(document.id) ?? 0) >= stamp) continue;
        reported.set(document.id, stamp);
        if (stamp > cursor.getTime()) cursor = document.updatedAt;
        yield { type: "document", document };
      }
    } catch (error) {
      yield { type: "problem", message: (error as Error).message };
    }
    if (polls % QUIET_EVERY_POLLS === 0) yield { type: "quiet" };
    await sleep(intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
