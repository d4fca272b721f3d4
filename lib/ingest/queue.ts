import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { asBackgroundWork, type Database } from "../db/client";
import { chunks, documents, type Document } from "../db/schema";
import { InputError, notFound } from "../errors";
import type { Format } from "./parse";
import { storeSource } from "./source";
import { displayTitle, titleFromFilename } from "./title";

/**
 * Ingestion as database-driven jobs: a document row is its own job. Uploads
 * land as `queued` with their bytes; workers in any app instance claim them with
 * FOR UPDATE SKIP LOCKED under a lease they renew while working, so a crashed
 * worker's document is picked up again when its lease lapses.
 */

export const LEASE_SECONDS = 60;
/** A document that fails this many claims (crashes, not parse errors) is given up on. */
export const MAX_ATTEMPTS = 3;

export interface Upload {
  bytes: Uint8Array;
  /** Detected from the bytes and name at upload; the parser follows it. */
  format: Format;
  filename?: string;
  title?: string;
  source?: string;
  metadata?: Record<string, unknown>;
}

export interface Enqueued {
  document: Document;
  /** The same bytes were uploaded before: nothing new was queued. */
  duplicate: boolean;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** How often an unfinished upload's row is tried again for removal while the database is away. */
const REMOVAL_RETRY_MS = 1000;

/**
 * Removes the row of an upload that failed half-way. The failure is often the
 * database itself going away (a restart), and then the removal fails too: the
 * row would sit queued, its file half-stored, until its lease lapsed and a
 * worker failed it, in a library whose owner was told nothing was saved. So
 * the removal is tried again in the background until it succeeds, for as long
 * as the upload's lease keeps workers off the row.
 */
async function removeUnfinishedUpload(db: Database, documentId: number): Promise<void> {
  const removed = async () => {
    try {
      await db.delete(documents).where(eq(documents.id, documentId));
      return true;
    } catch {
      return false;
    }
  };
  if (await removed()) return;
  // Still away: tried again until the lease lapses, after which a worker finds the row.
  const giveUpAt = Date.now() + (LEASE_SECONDS - 5) * 1000;
  void (async () => {
    do await new Promise((resolve) => setTimeout(resolve, REMOVAL_RETRY_MS).unref());
    while (Date.now() < giveUpAt && !(await removed()));
  })();
}

/** Queues an upload, or returns the document already holding the same bytes (also under a race). */
export async function enqueue(db: Database, upload: Upload): Promise<Enqueued> {
  if (upload.bytes.byteLength === 0) {
    throw new InputError("empty_content", `${upload.filename ?? "The upload"} is empty.`, 422);
  }
  const hash = contentHash(upload.bytes);
  // The row comes first, held back from workers by a lease until its file is
  // stored (part by part, outside one long transaction: see storeSource). A
  // failure removes it; a crash leaves parts missing, which reading reports.
  const [inserted] = await db
    .insert(documents)
    .values({
      // Empty until parsing names it from the text, unless a title or a filename says otherwise.
      title: displayTitle(upload.title ?? "") || titleFromFilename(upload.filename),
      titleGiven: Boolean(upload.title?.trim()),
      source: upload.source ?? "upload",
      filename: upload.filename,
      format: upload.format,
      sizeBytes: upload.bytes.byteLength,
      contentHash: hash,
      metadata: upload.metadata ?? {},
      lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
    })
    .onConflictDoNothing({ target: documents.contentHash })
    .returning();
  if (inserted) {
    try {
      await asBackgroundWork(() => storeSource(db, inserted.id, upload.bytes));
      const [queued] = await db.update(documents).set({ lockedUntil: null }).where(eq(documents.id, inserted.id)).returning();
      if (!queued) throw new InputError("document_deleted", `${upload.filename ?? "The document"} was deleted while it was being uploaded.`, 409);
      return { document: queued, duplicate: false };
    } catch (error) {
      await removeUnfinishedUpload(db, inserted.id);
      throw error;
    }
  }
  const existing = await db.query.documents.findFirst({ where: eq(documents.contentHash, hash) });
  if (!existing) throw new Error("a document with the same content vanished while uploading");
  // Sending a failed document again is the natural way to retry it.
  if (existing.status === "failed") return { document: await retry(db, existing.id), duplicate: false };
  return { document: existing, duplicate: true };
}

/**
 * The queue serves small files first, so a 2 KB note is not read after a
 * batch of large manuals (it waited 40 s), yet every file gets its turn while
 * small ones keep coming: waiting this long outweighs being e (2.7) times
 * larger, so a 50 MB file goes before a fresh 2 KB one after five minutes.
 */
const QUEUE_AGING_SECONDS = 30;

export interface Claim {
  document: Document;
  token: string;
}

/**
 * Takes the next queued document (or one whose worker's lease lapsed), or the
 * given one if it is still waiting. Concurrent callers never get the same row.
 *
 * A request waiting on its document (ingestNow) takes it even while it waits
 * out an outage's retry delay: otherwise a background worker, waking as the
 * delay ends, won it back every time, and the request waited as long as the
 * outage lasted instead of answering with it.
 */
export async function claim(db: Database, documentId?: number): Promise<Claim | undefined> {
  const token = randomUUID();
  const only = documentId === undefined ? sql`` : sql`and id = ${documentId}`;
  const waitingOutOutage = documentId === undefined ? sql`false` : sql`error is not null`;
  // One statement that claims and returns the row: a connection lost between
  // a claim and a second read would leave the claim unknown until its lease lapsed.
  const [document] = await db
    .update(documents)
    .set({
      status: "parsing",
      claimToken: token,
      attempts: sql`${documents.attempts} + 1`,
      lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
      error: null,
      chunksEmbedded: 0,
      updatedAt: sql`now()`,
    })
    .where(
      sql`${documents.id} = (
        select id from documents
        where ((status = 'queued' and (locked_until is null or locked_until < now() or ${waitingOutOutage}))
               or (status in ('parsing', 'embedding') and locked_until < now())) ${only}
        order by ln(size_bytes + 1) - extract(epoch from now() - created_at) / ${QUEUE_AGING_SECONDS}, id
        for update skip locked
        limit 1)`,
    )
    .returning();
  return document ? { document, token } : undefined;
}

/** The document's row, while this claim still holds it. */
export function heldBy(claimed: Claim) {
  return and(eq(documents.id, claimed.document.id), eq(documents.claimToken, claimed.token));
}

/**
 * Records progress and renews the lease. False when the claim is gone (the
 * document was deleted, or another worker took it over): stop working on it.
 */
export async function reportProgress(
  db: Database,
  claimed: Claim,
  progress: Partial<Pick<Document, "status" | "chunksTotal" | "chunksEmbedded">>,
): Promise<boolean> {
  const updated = await db
    .update(documents)
    .set({ ...progress, lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(heldBy(claimed))
    .returning({ id: documents.id });
  return updated.length > 0;
}

/** How long a document released by an outage (embedder down, disk full) waits before it is claimed again. */
export const OUTAGE_RETRY_SECONDS = 5;

/**
 * Gives a document back to the queue untouched, for another worker or a later
 * try. `refund` leaves its attempt uncounted (a server shutting down, or an
 * outage, is not the document's fault); `retryAfterSeconds` keeps it from
 * being claimed again at once, so an outage is not retried in a tight loop,
 * and `waitingFor` tells the person looking at the document what it waits for.
 */
export async function release(
  db: Database,
  claimed: Claim,
  options: { refund?: boolean; retryAfterSeconds?: number; waitingFor?: string } = {},
): Promise<void> {
  await db
    .update(documents)
    .set({
      status: "queued",
      claimToken: null,
      error: options.waitingFor ? `Waiting for ${options.waitingFor}; it will be processed then.` : null,
      lockedUntil: options.retryAfterSeconds ? sql`now() + make_interval(secs => ${options.retryAfterSeconds})` : null,
      chunksEmbedded: 0,
      ...(options.refund && { attempts: sql`greatest(${documents.attempts} - 1, 0)` }),
    })
    .where(heldBy(claimed));
}

/**
 * Claims that could not be given back because the database was away when
 * their work broke off. Without this they would sit claimed until their lease
 * lapsed; the worker hands them back as soon as the database answers again.
 */
const unreleased = new Map<string, { db: Database; claimed: Claim }>();

/** Gives the document back now, or, if the database is away, as soon as it answers again. */
export async function releaseOrDefer(db: Database, claimed: Claim): Promise<void> {
  try {
    await release(db, claimed);
  } catch {
    unreleased.set(claimed.token, { db, claimed });
  }
}

/** Gives back the claims deferred by releaseOrDefer; those the database still refuses wait for the next call. */
export async function releaseDeferred(): Promise<void> {
  for (const [token, { db, claimed }] of unreleased) {
    await release(db, claimed);
    unreleased.delete(token);
  }
}

export async function markFailed(db: Database, claimed: Claim, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [failed] = await tx
      .update(documents)
      .set({ status: "failed", error: reason, claimToken: null, lockedUntil: null })
      .where(heldBy(claimed))
      .returning({ id: documents.id });
    // A large document stores its chunks in steps before it is ready (see processDocument): none stay.
    if (failed) await tx.delete(chunks).where(eq(chunks.documentId, failed.id));
  });
}

/** Puts a failed document back in the queue; its bytes were kept for this. */
export async function retry(db: Database, documentId: number): Promise<Document> {
  const [document] = await db
    .update(documents)
    .set({ status: "queued", error: null, attempts: 0, chunksEmbedded: 0 })
    .where(and(eq(documents.id, documentId), eq(documents.status, "failed")))
    .returning();
  if (document) return document;
  const existing = await db.query.documents.findFirst({ where: eq(documents.id, documentId) });
  if (!existing) throw notFound("document", documentId);
  throw new InputError("not_failed", `Document ${documentId} is ${existing.status}; only a failed document can be retried.`, 409);
}

/** Documents whose worker died too often are failed rather than retried forever. */
export async function failAbandoned(db: Database): Promise<number> {
  const failed = await db
    .update(documents)
    .set({
      status: "failed",
      error: `Processing stopped ${MAX_ATTEMPTS} times without finishing (the server may run out of memory on this file).`,
      claimToken: null,
      lockedUntil: null,
    })
    .where(
      and(
        sql`${documents.status} in ('parsing', 'embedding')`,
        sql`${documents.lockedUntil} < now()`,
        sql`${documents.attempts} >= ${MAX_ATTEMPTS}`,
      ),
    )
    .returning({ id: documents.id });
  if (failed.length > 0) await db.delete(chunks).where(inArray(chunks.documentId, failed.map((d) => d.id)));
  return failed.length;
}
