import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { isDatabaseUnavailable } from "../db/errors";
import { chunks, documents, messageSources, type Document } from "../db/schema";
import { ProviderError } from "../providers/errors";
import { startBackgroundLoop } from "./background-loop";
import { embedChunks, failureReason, insertChunks, processingVersion, readOptions, type ProcessDependencies } from "./process";
import { LEASE_SECONDS } from "./queue";
import { readSource, storeSource } from "./source";

/**
 * Reading stored documents again when the parser or the chunker improves (or
 * the chunk settings change): each ready document whose chunks were made
 * another way is parsed again from its kept bytes, chunked and embedded, and
 * its old chunks are replaced by the new ones in one transaction, so search
 * serves the old chunks until that moment and never half of each. One
 * document at a time, and only while no upload is waiting: re-reading the
 * library never holds up a person's new file.
 */

export interface ReprocessProgress {
  /** Ready documents made the current way. */
  current: number;
  /** Ready documents in all. */
  total: number;
  /** Documents an earlier version of pgrag stored without their file: they can only be uploaded again. */
  withoutFile: number;
}

/** A document made the current way, or one that can only be uploaded again, is not waiting. */
const waiting = (version: string) => sql`
  d.status = 'ready' and d.processed_with is distinct from ${version}::jsonb
  and (d.format = 'text' or exists (select 1 from document_sources s where s.document_id = d.id))`;

export async function reprocessProgress(db: ProcessDependencies["db"], chunking: ProcessDependencies["chunking"]): Promise<ReprocessProgress> {
  const version = JSON.stringify(processingVersion(chunking));
  const [row] = await queryRows<ReprocessProgress>(db, sql`
    select count(*) filter (where d.processed_with = ${version}::jsonb)::int as current,
           count(*)::int as total,
           count(*) filter (where d.processed_with is distinct from ${version}::jsonb and d.format <> 'text'
                            and not exists (select 1 from document_sources s where s.document_id = d.id))::int as "withoutFile"
    from documents d where d.status = 'ready'`);
  return { current: Number(row!.current), total: Number(row!.total), withoutFile: Number(row!.withoutFile) };
}

interface ReprocessClaim {
  document: Document;
  token: string;
}

/** Takes the next document made another way, unless uploads are waiting; several app instances never take the same one. */
async function claimOutdated(db: ProcessDependencies["db"], version: string): Promise<ReprocessClaim | undefined> {
  const token = randomUUID();
  const [row] = await queryRows<{ id: number }>(db, sql`
    update documents set claim_token = ${token}, locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
    where id = (
      select d.id from documents d
      where ${waiting(version)} and (d.locked_until is null or d.locked_until < now())
        and not exists (select 1 from documents q where q.status in ('queued', 'parsing', 'embedding'))
      order by d.id for update skip locked limit 1)
    returning id`);
  if (!row) return undefined;
  const document = await db.query.documents.findFirst({ where: eq(documents.id, Number(row.id)) });
  return document ? { document, token } : undefined;
}

/** Lets go of a claim without changing anything, for another try later. */
async function unclaim(db: ProcessDependencies["db"], claim: ReprocessClaim): Promise<void> {
  await db
    .update(documents)
    .set({ claimToken: null, lockedUntil: null })
    .where(and(eq(documents.id, claim.document.id), eq(documents.claimToken, claim.token)));
}

export type ReprocessOutcome = "replaced" | "kept" | "lost";

/**
 * Re-reads one document. A file the new parser cannot read keeps its old
 * chunks, with the reason recorded, and is not tried again until the version
 * changes again.
 */
export async function reprocessDocument(deps: ProcessDependencies, claim: ReprocessClaim): Promise<ReprocessOutcome> {
  const version = processingVersion(deps.chunking);
  const { document } = claim;
  let source: Uint8Array | undefined;
  let bytes: Uint8Array;
  let read;
  let vectors: number[][] | undefined;
  try {
    source = await readSource(deps.db, document);
    // Text sent by an earlier version is its stored text: read it from there, and keep it as the file from now on.
    bytes = source ?? new TextEncoder().encode(document.content);
    read = await deps.reader.read(readOptions(deps), document, bytes);
    const keepClaim = () => renew(deps.db, claim);
    vectors = await embedChunks(deps, read.pieces, keepClaim);
  } catch (error) {
    if ((error instanceof ProviderError && error.code === "embedder_unavailable") || isDatabaseUnavailable(error)) {
      await unclaim(deps.db, claim).catch(() => {});
      throw error;
    }
    const kept = await deps.db
      .update(documents)
      .set({
        processedWith: version,
        error: `Reading this file again with the new parser failed (${failureReason(error)}); the text stored earlier is kept.`,
        claimToken: null,
        lockedUntil: null,
      })
      .where(and(eq(documents.id, document.id), eq(documents.claimToken, claim.token)))
      .returning({ id: documents.id });
    return kept.length > 0 ? "kept" : "lost";
  }
  if (!vectors) return "lost";
  const replaced = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(documents)
      .set({
        content: read.content,
        title: read.title,
        chunksTotal: read.pieces.length,
        chunksEmbedded: read.pieces.length,
        processedWith: version,
        error: null,
        claimToken: null,
        lockedUntil: null,
      })
      .where(and(eq(documents.id, document.id), eq(documents.claimToken, claim.token), eq(documents.status, "ready")))
      .returning({ id: documents.id, title: documents.title });
    // Deleted, or taken over after the lease lapsed: leave it to whoever has it.
    if (!updated) return false;
    const cited = await queryRows<{ message_id: number; number: number; content: string }>(tx, sql`
      select s.message_id, s.number, c.content from message_sources s join chunks c on c.id = s.chunk_id
      where c.document_id = ${document.id}`);
    await tx.delete(chunks).where(eq(chunks.documentId, document.id));
    const ids = await insertChunks(tx, updated, deps.model, read.pieces, vectors);
    // Answers that cited the old chunks cite the new chunk holding the same words, rather than showing them removed.
    for (const source of cited) {
      const best = closestChunk(source.content, read.pieces.map((p) => p.content));
      await tx
        .update(messageSources)
        .set({ chunkId: ids[best]! })
        .where(and(eq(messageSources.messageId, Number(source.message_id)), eq(messageSources.number, Number(source.number))));
    }
    if (!source) {
      await storeSource(tx, document.id, bytes);
      await tx.update(documents).set({ sizeBytes: bytes.byteLength }).where(eq(documents.id, document.id));
    }
    return true;
  });
  return replaced ? "replaced" : "lost";
}

/** The new chunk sharing the most words with an old one. */
function closestChunk(old: string, candidates: string[]): number {
  const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const before = words(old);
  let best = 0;
  let bestScore = -1;
  candidates.forEach((candidate, i) => {
    const after = words(candidate);
    let shared = 0;
    for (const word of before) if (after.has(word)) shared++;
    const score = shared / (before.size + after.size - shared || 1);
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  return best;
}

async function renew(db: ProcessDependencies["db"], claim: ReprocessClaim): Promise<boolean> {
  const renewed = await db
    .update(documents)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(and(eq(documents.id, claim.document.id), eq(documents.claimToken, claim.token)))
    .returning({ id: documents.id });
  return renewed.length > 0;
}

/** Re-reads the next waiting document; false when none is waiting (or uploads come first). */
export async function reprocessNext(deps: ProcessDependencies): Promise<boolean> {
  const claim = await claimOutdated(deps.db, JSON.stringify(processingVersion(deps.chunking)));
  if (!claim) return false;
  await reprocessDocument(deps, claim);
  return true;
}

/** The background half: every app instance runs one; the database hands each document to one of them. */
export function startReprocessWorker(
  dependencies: () => Promise<ProcessDependencies>,
  options: { pollMs: number; onError?: (error: unknown) => void },
): { stop(): Promise<void> } {
  return startBackgroundLoop(async () => reprocessNext(await dependencies()), options);
}
