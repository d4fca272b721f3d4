import { z } from "zod";

/**
 * One schema per endpoint. The browser imports the types derived here, so the
 * client and the route handlers cannot disagree about a shape.
 */

const MAX_TOP_K = 100;

const requiredText = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .refine((value) => value.trim() !== "", `${what} must not be empty`);

const topK = z
  .number({ error: "top_k must be a number" })
  .int("top_k must be a whole number")
  .min(1, "top_k must be at least 1")
  .max(MAX_TOP_K, `top_k must be at most ${MAX_TOP_K}`);

/** The original demo's POST /ingest. */
export const legacyIngestRequest = z.object({ content: requiredText("content") });

/** The original demo's POST /search. */
export const legacySearchRequest = z.object({ query: requiredText("query"), top_k: topK.default(5) });

export const createDocumentRequest = z.object({
  content: requiredText("content"),
  title: z.string({ error: "title must be a string" }).max(500, "title must be at most 500 characters").optional(),
  source: z.string({ error: "source must be a string" }).max(2000, "source must be at most 2000 characters").optional(),
  metadata: z.record(z.string(), z.unknown(), { error: "metadata must be an object" }).optional(),
});

const formats = ["text", "markdown", "html", "pdf", "docx", "csv", "json"] as const;
const formatError = `must be one of ${formats.join(", ")}`;

const dateBound = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z` })
    .or(z.iso.date({ error: `${name} must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z` }))
    .transform((value) => new Date(value))
    .optional();

export const searchFilters = z
  .object(
    {
      document_ids: z
        .array(z.number().int().positive(), { error: "filters.document_ids must be an array of document ids" })
        .max(1000, "filters.document_ids may name at most 1000 documents")
        .optional(),
      formats: z.array(z.enum(formats, { error: `filters.formats ${formatError}` })).optional(),
      created_after: dateBound("filters.created_after"),
      created_before: dateBound("filters.created_before"),
    },
    { error: "filters must be an object" },
  )
  .strict();

export const searchModes = ["hybrid", "semantic", "keyword"] as const;

export const searchRequest = z
  .object({
    query: requiredText("query").optional(),
    embedding: z
      .array(z.number({ error: "embedding must contain only numbers" }), { error: "embedding must be an array of numbers" })
      .min(1, "embedding must not be empty")
      .optional(),
    top_k: topK.default(10),
    mode: z.enum(searchModes, { error: "mode must be hybrid, semantic or keyword" }).optional(),
    min_score: z.number({ error: "min_score must be a number" }).optional(),
    filters: searchFilters.optional(),
  })
  .refine((body) => (body.query === undefined) !== (body.embedding === undefined), {
    message: "send either query (text) or embedding (a vector), not both",
  });

export const listDocumentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().trim().max(200).optional(),
  status: z.enum(["queued", "parsing", "embedding", "ready", "failed"], { error: "status must be queued, parsing, embedding, ready or failed" }).optional(),
  format: z.enum(formats, { error: `format ${formatError}` }).optional(),
});

/** The optional fields of a multipart upload, beside its files. */
export const uploadFields = z.object({
  title: z.string().max(500, "title must be at most 500 characters").optional(),
  source: z.string().max(2000, "source must be at most 2000 characters").optional(),
});

export const documentIdParam = z.coerce
  .number({ error: "the document id must be a number" })
  .int("the document id must be a whole number")
  .positive("the document id must be positive");

export type CreateDocumentRequest = z.input<typeof createDocumentRequest>;
export type SearchRequest = z.input<typeof searchRequest>;

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export type DocumentStatusJson = "queued" | "parsing" | "embedding" | "ready" | "failed";

export interface DocumentSummaryJson {
  id: number;
  title: string;
  source: string;
  filename: string | null;
  format: string;
  size_bytes: number;
  status: DocumentStatusJson;
  error: string | null;
  /** Chunks the document has (or will have, while embedding). */
  chunk_count: number;
  chunks_embedded: number;
  characters: number;
  created_at: string;
  updated_at: string;
}

/** Where a chunk sits in its document. */
export interface ChunkLocation {
  headings?: string[];
  pages?: [number, number];
  rows?: [number, number];
}

export interface DocumentDetailJson extends DocumentSummaryJson {
  content: string;
  metadata: Record<string, unknown>;
  chunks: { id: number; ordinal: number; content: string; token_count: number; location: ChunkLocation }[];
}

export interface CreateDocumentResponse {
  document: DocumentSummaryJson;
  duplicate: boolean;
}

/** One entry per file of a multipart upload: queued, a duplicate, or refused with the reason. */
export type UploadResultJson =
  | { filename: string; document: DocumentSummaryJson; duplicate: boolean }
  | { filename: string; error: { code: string; message: string } };

export interface UploadResponse {
  uploads: UploadResultJson[];
}

export interface DocumentListResponse {
  documents: DocumentSummaryJson[];
  total: number;
}

export type SearchModeJson = (typeof searchModes)[number];

export interface SearchResultJson {
  chunk_id: number;
  document_id: number;
  document_title: string;
  document_format: string;
  ordinal: number;
  content: string;
  location: ChunkLocation;
  /** Semantic: cosine similarity. Keyword: BM25. Hybrid: fused, 0–1. */
  score: number;
  mode: SearchModeJson;
  /** Each retriever's rank (1-based) and score for this chunk; hybrid has both when both found it. */
  components: { semantic?: { rank: number; score: number }; keyword?: { rank: number; score: number } };
  /** Where the query's words occur in content: [start, end) in UTF-16 code units. */
  highlights: [number, number][];
}

export interface SearchResponse {
  results: SearchResultJson[];
  mode: SearchModeJson;
  model: string;
}

export interface LegacySearchResponse {
  results: { id: number; document_id: number; content: string; similarity: number }[];
}

const MAX_QUESTION_CHARS = 8000;

const question = (what: string) =>
  requiredText(what).refine((value) => value.length <= MAX_QUESTION_CHARS, `${what} must be at most ${MAX_QUESTION_CHARS} characters`);

const conversationTitle = requiredText("title").refine((value) => value.length <= 200, "title must be at most 200 characters");

const conversationId = z
  .number({ error: "conversation_id must be a number" })
  .int("conversation_id must be a whole number")
  .positive("conversation_id must be positive");

/** The documents a conversation asks about; null for the whole library. */
const conversationScope = z
  .array(z.number({ error: "document_ids must be document ids" }).int("document_ids must be document ids").positive("document_ids must be document ids"), {
    error: "document_ids must be an array of document ids, or null for the whole library",
  })
  .min(1, "document_ids must name at least one document, or be null for the whole library")
  .max(1000, "document_ids may name at most 1000 documents")
  .nullable();

/** POST /api/chat: a new question, or `regenerate` to answer the last question again. */
export const chatRequest = z
  .object({
    conversation_id: conversationId.optional(),
    document_ids: conversationScope.optional(),
    message: question("message").optional(),
    regenerate: z.boolean({ error: "regenerate must be true or false" }).optional(),
  })
  .strict()
  .refine((body) => (body.message !== undefined) !== (body.regenerate === true), {
    message: "send a message, or regenerate: true to answer the last question again",
  })
  .refine((body) => !body.regenerate || body.conversation_id !== undefined, {
    message: "regenerate needs the conversation_id of the answer to replace",
  });

export const createConversationRequest = z
  .object({ title: conversationTitle.optional(), document_ids: conversationScope.optional() })
  .strict();
export const updateConversationRequest = z
  .object({ title: conversationTitle.optional(), document_ids: conversationScope.optional() })
  .strict()
  .refine((body) => body.title !== undefined || body.document_ids !== undefined, {
    message: "send a new title, document_ids, or both",
  });

export const conversationIdParam = z.coerce
  .number({ error: "the conversation id must be a number" })
  .int("the conversation id must be a whole number")
  .positive("the conversation id must be positive");

export const listConversationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The original demo's POST /answer. */
export const legacyAnswerRequest = z.object({ query: question("query"), top_k: topK.default(5) });

const openAIContent = z.union(
  [
    z.string(),
    z.array(z.object({ type: z.string(), text: z.string().optional() }).loose(), {
      error: "content must be a string or an array of text parts",
    }),
  ],
  { error: "each message's content must be a string or an array of text parts" },
);

/** POST /v1/chat/completions: the fields of OpenAI's request pgrag uses; the rest are accepted and ignored, as OpenAI-compatible servers do. */
export const openAIChatRequest = z
  .object({
    model: z.string({ error: "model must be a string" }).optional(),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "developer", "user", "assistant", "tool"], {
              error: "each message's role must be system, user or assistant",
            }),
            content: openAIContent.nullable().optional(),
          })
          .loose(),
        { error: "messages must be an array" },
      )
      .min(1, "messages must not be empty"),
    stream: z.boolean({ error: "stream must be true or false" }).optional(),
    temperature: z.number({ error: "temperature must be a number" }).min(0).max(2).optional(),
  })
  .loose();

export type ChatRequest = z.input<typeof chatRequest>;

export interface ConversationJson {
  id: number;
  title: string;
  /** The documents it asks about; null for the whole library. */
  document_ids: number[] | null;
  created_at: string;
  updated_at: string;
}

/** A source an answer was given; `removed` once its document was deleted. */
export interface SourceJson {
  number: number;
  chunk_id: number | null;
  document_id: number | null;
  document_title: string;
  content: string | null;
  location: ChunkLocation | null;
  score: number;
  cited: boolean;
  removed: boolean;
}

export type AnswererJson = "llm" | "extractive";

export interface MessageJson {
  id: number;
  role: "user" | "assistant";
  content: string;
  status: "complete" | "stopped" | "failed";
  error: string | null;
  answerer: AnswererJson | null;
  model: string | null;
  notice: string | null;
  search_query: string | null;
  omitted_sources: number;
  sources: SourceJson[];
  created_at: string;
}

export interface ConversationDetailJson extends ConversationJson {
  messages: MessageJson[];
}

export interface ConversationListResponse {
  conversations: ConversationJson[];
}

/** The server-sent events of POST /api/chat, in order: conversation, search, sources, answerer, delta…, then done or error. */
export type ChatEventJson =
  | { type: "conversation"; conversation: ConversationJson; user_message_id: number | null }
  | { type: "search"; query: string }
  | { type: "sources"; sources: SourceJson[]; omitted: number }
  | { type: "answerer"; answerer: AnswererJson; model: string | null; notice: string | null }
  | { type: "delta"; text: string }
  | { type: "done"; message: MessageJson }
  | { type: "error"; code: string; message: string; saved: MessageJson | null };

export interface LegacyAnswerResponse {
  answer: string;
  answerer: AnswererJson;
  sources: { number: number; chunk_id: number; document_id: number; document_title: string; content: string; score: number; cited: boolean }[];
}
