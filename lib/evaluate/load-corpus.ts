import "server-only";
import type { AppContext } from "../context";
import type { Database } from "../db/client";
import { documents } from "../db/schema";
import { batchProgress } from "../documents/library";
import { contentHash, enqueue } from "../ingest/queue";
import { beirDocumentText, type BeirDocument } from "./beir";

function bytesOf(doc: BeirDocument): Uint8Array {
  return new TextEncoder().encode(beirDocumentText(doc));
}

/**
 * Ingests a benchmark corpus through the app's own pipeline (queue, parse,
 * chunk, embed, store) and waits until every document is settled.
 */
export async function loadCorpus(
  context: AppContext,
  corpus: BeirDocument[],
  onProgress: (settled: number, total: number, chunks: number) => void,
): Promise<void> {
  const ids = new Set<number>();
  for (const doc of corpus) {
    const { document } = await enqueue(context.database.db, {
      bytes: bytesOf(doc),
      format: "text",
      title: doc.title || doc.id,
      filename: `${doc.id}.txt`,
      source: "eval",
    });
    ids.add(document.id);
  }
  context.worker.wake();
  for (;;) {
    const progress = await batchProgress(context.database.db, [...ids]);
    onProgress(progress.settled, progress.total, progress.chunksEmbedded);
    if (progress.settled >= progress.total) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The corpus ids behind each stored document, matched by content hash: identical texts are stored once. */
export async function storedCorpusIds(db: Database, corpus: BeirDocument[]): Promise<Map<number, string[]>> {
  const byHash = new Map<string, string[]>();
  for (const doc of corpus) {
    const hash = contentHash(bytesOf(doc));
    byHash.set(hash, [...(byHash.get(hash) ?? []), doc.id]);
  }
  const stored = await db.select({ id: documents.id, hash: documents.contentHash }).from(documents);
  return new Map(stored.map((row) => [row.id, byHash.get(row.hash) ?? []]));
}
