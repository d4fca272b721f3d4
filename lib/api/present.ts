import "server-only";
import type { DocumentSummary, DocumentWithChunks } from "../documents/library";
import type { Document } from "../db/schema";
import type { Highlight } from "../retrieve/highlight";
import type { SearchResult } from "../retrieve/search";
import type { ChunkLocation, DocumentDetailJson, DocumentSummaryJson, SearchResultJson } from "./schemas";

export function documentJson(document: DocumentSummary): DocumentSummaryJson {
  return {
    id: document.id,
    title: document.title,
    source: document.source,
    filename: document.filename,
    format: document.format,
    size_bytes: document.sizeBytes,
    status: document.status,
    error: document.error,
    chunk_count: document.chunksTotal,
    chunks_embedded: document.chunksEmbedded,
    characters: document.characters,
    created_at: document.createdAt.toISOString(),
    updated_at: document.updatedAt.toISOString(),
  };
}

export function storedDocumentJson(document: Document): DocumentSummaryJson {
  // Code points, as char_length counts them in listDocuments.
  return documentJson({ ...document, characters: [...document.content].length });
}

export function documentDetailJson(document: DocumentWithChunks): DocumentDetailJson {
  return {
    ...documentJson({ ...document, characters: [...document.content].length }),
    content: document.content,
    metadata: document.metadata,
    chunks: document.chunks.map((c) => ({
      id: c.id,
      ordinal: c.ordinal,
      content: c.content,
      token_count: c.tokenCount,
      location: c.metadata as ChunkLocation,
    })),
  };
}

export function searchResultJson({ hit, score, mode, components }: SearchResult, highlights: Highlight[]): SearchResultJson {
  return {
    chunk_id: hit.chunkId,
    document_id: hit.documentId,
    document_title: hit.documentTitle,
    document_format: hit.documentFormat,
    ordinal: hit.ordinal,
    content: hit.content,
    location: hit.location,
    score,
    mode,
    components,
    highlights,
  };
}
