import "server-only";
import type { DocumentSummary } from "../documents/library";
import type { Document } from "../db/schema";
import type { SemanticHit } from "../retrieve/semantic";
import type { DocumentSummaryJson, SearchResultJson } from "./schemas";

export function documentJson(document: DocumentSummary): DocumentSummaryJson {
  return {
    id: document.id,
    title: document.title,
    source: document.source,
    status: document.status,
    chunk_count: document.chunkCount,
    characters: document.characters,
    created_at: document.createdAt.toISOString(),
  };
}

export function storedDocumentJson(document: Document, chunkCount: number): DocumentSummaryJson {
  return documentJson({ ...document, chunkCount, characters: document.content.length });
}

export function searchResultJson(hit: SemanticHit): SearchResultJson {
  return {
    chunk_id: hit.chunkId,
    document_id: hit.documentId,
    document_title: hit.documentTitle,
    ordinal: hit.ordinal,
    content: hit.content,
    similarity: hit.similarity,
  };
}
