import "server-only";
import type { DocumentSummary, DocumentWithChunks } from "../documents/library";
import type { Source } from "../answer/sources";
import type { ConversationWithMessages, StoredMessage, StoredSource } from "../conversations/store";
import type { TurnEvent } from "../conversations/turn";
import type { Conversation, Document } from "../db/schema";
import type { UploadOutcome } from "../ingest/uploads";
import type { Highlight } from "../retrieve/highlight";
import type { SearchResult } from "../retrieve/search";
import { codeOf, locationOf } from "../documents/location";
import type {
  ChatEventJson,
  ConversationDetailJson,
  ConversationJson,
  DocumentDetailJson,
  DocumentSummaryJson,
  MessageJson,
  SearchResultJson,
  SourceJson,
  UploadResponse,
} from "./schemas";

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

/** One file of an upload: its document, or why it was refused. */
export function uploadOutcomeJson(outcome: UploadOutcome): UploadResponse["uploads"][number] {
  return "error" in outcome
    ? { filename: outcome.filename, error: { code: outcome.error.code, message: outcome.error.message } }
    : { filename: outcome.filename, document: storedDocumentJson(outcome.document), duplicate: outcome.duplicate };
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
      location: locationOf(c.metadata),
      code: codeOf(c.metadata),
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
    code: hit.code,
    score,
    mode,
    components,
    highlights,
  };
}

export function conversationJson(conversation: Conversation): ConversationJson {
  return {
    id: conversation.id,
    title: conversation.title,
    document_ids: conversation.documentIds,
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
  };
}

export function storedSourceJson(source: StoredSource): SourceJson {
  return {
    number: source.number,
    chunk_id: source.chunkId,
    document_id: source.documentId,
    document_title: source.documentTitle,
    content: source.content,
    location: source.location,
    code: source.code,
    score: source.score,
    cited: source.cited,
    removed: source.chunkId === null,
  };
}

export function sourceJson(source: Source, cited: ReadonlySet<number> = new Set()): SourceJson {
  return storedSourceJson({ ...source, cited: cited.has(source.number) });
}

export function messageJson(message: StoredMessage): MessageJson {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    status: message.status,
    error: message.error,
    answerer: message.metadata.answerer ?? null,
    model: message.metadata.model ?? null,
    notice: message.metadata.notice ?? null,
    search_query: message.metadata.searchQuery ?? null,
    omitted_sources: message.metadata.omittedSources ?? 0,
    sources: message.sources.map(storedSourceJson),
    created_at: message.createdAt.toISOString(),
  };
}

export function conversationDetailJson(conversation: ConversationWithMessages): ConversationDetailJson {
  return { ...conversationJson(conversation), messages: conversation.messages.map(messageJson) };
}

/** A chat turn's event as the browser reads it from the stream. */
export function chatEventJson(event: TurnEvent): ChatEventJson {
  switch (event.type) {
    case "conversation":
      return { type: "conversation", conversation: conversationJson(event.conversation), user_message_id: event.userMessageId };
    case "sources":
      return { type: "sources", sources: event.sources.map((source) => sourceJson(source)), omitted: event.omitted };
    case "answerer":
      return { type: "answerer", answerer: event.answerer, model: event.model ?? null, notice: event.notice ?? null };
    case "done":
      return { type: "done", message: messageJson(event.message) };
    case "error":
      return { type: "error", code: event.code, message: event.message, saved: event.saved && messageJson(event.saved) };
    case "search":
    case "delta":
      return event;
  }
}
