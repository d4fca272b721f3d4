import "server-only";
import type { DocumentSummary, DocumentWithChunks } from "../documents/library";
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
  // Code points, as char_length counts them in listDocuments.
  return documentJson({ ...document, chunkCount, characters: [...document.content].length });
}

export function documentDetailJson(document: DocumentWithChunks) {
  return {
    id: document.id,
    title: document.title,
    source: document.source,
    status: document.status,
    content: document.content,
    metadata: document.metadata,
    created_at: document.createdAt.toISOString(),
    chunks: document.chunks.map((c) => ({ id: c.id, ordinal: c.ordinal, content: c.content, token_count: c.tokenCount })),
  };
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
