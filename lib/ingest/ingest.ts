import "server-only";
import { eq } from "drizzle-orm";
import { documents, type Document } from "../db/schema";
import { InputError } from "../errors";
import { normalizeText } from "./normalize";
import { ProviderError } from "../providers/errors";
import { processDocument, type ProcessDependencies } from "./process";
import { claim, enqueue, type Upload } from "./queue";

export interface IngestResult {
  document: Document;
  /** The same content was already stored: nothing new was written. */
  duplicate: boolean;
}

export interface TextInput {
  content: string;
  title?: string;
  source?: string;
  metadata?: Record<string, unknown>;
}

/** How often a request waiting on a document another worker holds looks again. */
const SETTLE_POLL_MS = 100;

/**
 * Ingests and waits for the outcome, for callers that expect the document
 * searchable when they get an answer (the original POST /ingest, the JSON API,
 * the command line). It runs the same queue and pipeline as uploads.
 */
export async function ingestNow(deps: ProcessDependencies, upload: Upload): Promise<IngestResult> {
  const queued = await enqueue(deps.db, upload);
  const document = await settled(deps, queued.document.id);
  if (!queued.duplicate && document.status === "failed") {
    throw new InputError("ingest_failed", document.error ?? "Ingestion failed.", 422);
  }
  return { document, duplicate: queued.duplicate };
}

/** Text sent as JSON: normalized before hashing, so whitespace alone never makes a new document. */
export async function ingestText(deps: ProcessDependencies, input: TextInput): Promise<IngestResult> {
  const content = normalizeText(input.content);
  if (content === "") {
    throw new InputError("empty_content", "The content is empty: send some text to ingest.", 422);
  }
  return ingestNow(deps, {
    bytes: new TextEncoder().encode(content),
    format: "text",
    title: input.title,
    source: input.source ?? "api",
    metadata: input.metadata,
  });
}

/**
 * Processes the document here if it is waiting, or waits while another worker
 * (a background one, or a racing request) holds it. A failure caused by the
 * caller's input or an unreachable model is rethrown as itself, so the HTTP
 * answer says 422 or 503 with the real reason.
 */
async function settled(deps: ProcessDependencies, id: number): Promise<Document> {
  for (;;) {
    const claimed = await claim(deps.db, id);
    if (claimed) {
      const outcome = await processDocument(deps, claimed);
      if (outcome.status === "failed" && (outcome.cause instanceof InputError || outcome.cause instanceof ProviderError)) {
        throw outcome.cause;
      }
    }
    const document = await deps.db.query.documents.findFirst({ where: eq(documents.id, id) });
    if (!document) throw new InputError("document_deleted", `Document ${id} was deleted while it was being ingested.`, 409);
    if (document.status === "ready" || document.status === "failed") return document;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}
