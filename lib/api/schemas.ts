import { z } from "zod";
import { documentStatuses } from "../db/schema";
import { documentOrders } from "../documents/order";
import { formats } from "../ingest/parse/types";
import { MAX_TITLE_CHARS } from "../ingest/title";

/**
 * One schema per endpoint. The browser imports the types derived here, so the
 * client and the route handlers cannot disagree about a shape.
 */

// Every schema's unknown-field message names the fields, so "Unrecognized key" never reaches a person.
z.config({
  customError: (issue) =>
    issue.code === "unrecognized_keys"
      ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}${issue.path?.length ? ` in ${issue.path.join(".")}` : ""}: remove ${issue.keys.length > 1 ? "them" : "it"}`
      : undefined,
});

const MAX_TOP_K = 100;
/** PostgreSQL's integer, which every id column is: a larger id names nothing. */
const MAX_ID = 2_147_483_647;
/** Longer than any search people type; a pasted page is a document, not a query. */
const MAX_QUERY_CHARS = 2000;

/**
 * NUL cannot be stored in PostgreSQL text, and half of a UTF-16 surrogate pair
 * cannot be encoded as UTF-8: both are refused where a person's text is kept
 * or searched as given (document content is cleaned by ingestion instead).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (what: string) => `${what} must not contain NUL characters or broken Unicode (lone surrogates)`;

/** Optional text kept as given (a title, a source): within its limit, storable. */
const keptText = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, `${what} must be at most ${max} characters`)
    .refine((value) => !UNSTORABLE.test(value), unstorable(what));

const requiredText = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .refine((value) => value.trim() !== "", `${what} must not be empty`);

/** Text kept or searched as the person gave it: not empty, within its limit, storable. */
const givenText = (what: string, max: number) =>
  requiredText(what)
    .refine((value) => value.length <= max, `${what} must be at most ${max} characters`)
    .refine((value) => !UNSTORABLE.test(value), unstorable(what));

/** An id in a JSON body: a whole number within PostgreSQL's integer range. */
const rowId = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
    .max(MAX_ID, `${what} must be at most ${MAX_ID}, the largest id there is`);

/**
 * An id in a URL path: digits only, so "0x2", "1e3", " 2" and "2abc" are not
 * read as numbers the way JavaScript would read them.
 */
const pathId = (what: string) =>
  z
    .string()
    .superRefine((value, context) => {
      const problem = !/^[+-]?\d+(\.\d+)?$/.test(value)
        ? `the ${what} id must be a number`
        : value.includes(".")
          ? `the ${what} id must be a whole number`
          : value.startsWith("-") || /^[+-]?0+$/.test(value)
            ? `the ${what} id must be positive`
            : Number(value) > MAX_ID
              ? `the ${what} id must be at most ${MAX_ID}, the largest id there is`
              : undefined;
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .transform(Number);

const topK = z
  .number({ error: "top_k must be a number" })
  .int("top_k must be a whole number")
  .min(1, "top_k must be at least 1")
  .max(MAX_TOP_K, `top_k must be at most ${MAX_TOP_K}`);

/** The original demo's POST /ingest. */
export const legacyIngestRequest = z.object({ content: requiredText("content") });

/** The original demo's POST /search. */
export const legacySearchRequest = z.object({ query: givenText("query", MAX_QUERY_CHARS), top_k: topK.default(5) });

export const createDocumentRequest = z.object({
  content: requiredText("content"),
  title: keptText("title", 500).optional(),
  source: keptText("source", 2000).optional(),
  metadata: z
    .record(z.string(), z.unknown(), { error: "metadata must be an object" })
    .superRefine((value, context) => {
      const problem = metadataProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .optional(),
});

const formatError = `must be one of ${formats.join(", ")}`;

const dateBound = (name: string) => {
  const error = `${name} must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z`;
  return z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error })
    .transform((value) => new Date(value))
    .refine((date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999, `${name} must be a date between the years 1 and 9999`)
    .optional();
};

const MAX_METADATA_DEPTH = 8;
const MAX_METADATA_CHARS = 16 * 1024;

/** What is wrong with a document's metadata, if anything: too deep, too large, or holding text that cannot be stored. */
function metadataProblem(metadata: Record<string, unknown>): string | undefined {
  // Walked with a list, not recursion: JSON.parse builds nesting far deeper than a call stack.
  const pending: [unknown, number][] = [[metadata, 1]];
  let chars = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value === "string") {
      chars += value.length;
      if (UNSTORABLE.test(value)) return unstorable("metadata");
    } else if (value !== null && typeof value === "object") {
      if (depth > MAX_METADATA_DEPTH) return `metadata may nest objects and arrays at most ${MAX_METADATA_DEPTH} deep`;
      for (const [key, item] of Object.entries(value)) {
        if (!Array.isArray(value)) {
          chars += key.length;
          if (UNSTORABLE.test(key)) return unstorable("metadata");
        }
        pending.push([item, depth + 1]);
      }
    } else {
      chars += 8;
    }
    if (chars > MAX_METADATA_CHARS) return `metadata must be at most ${MAX_METADATA_CHARS / 1024} KB; put longer text in the document`;
  }
  return undefined;
}

export const searchFilters = z
  .object(
    {
      document_ids: z
        .array(rowId("each of filters.document_ids"), { error: "filters.document_ids must be an array of document ids" })
        .max(1000, "filters.document_ids may name at most 1000 documents")
        .optional(),
      formats: z.array(z.enum(formats, { error: `filters.formats ${formatError}` })).optional(),
      created_after: dateBound("filters.created_after"),
      created_before: dateBound("filters.created_before"),
    },
    { error: (issue) => (issue.code === "invalid_type" ? "filters must be an object" : undefined) },
  )
  .strict();

export const searchModes = ["hybrid", "semantic", "keyword"] as const;

export const searchRequest = z
  .object({
    query: givenText("query", MAX_QUERY_CHARS).optional(),
    embedding: z
      .array(
        // pgvector stores single-precision floats: a larger value overflows it.
        z.number({ error: "embedding must contain only numbers" }).min(-1e38, "embedding values must be between -1e38 and 1e38").max(1e38, "embedding values must be between -1e38 and 1e38"),
        { error: "embedding must be an array of numbers" },
      )
      .min(1, "embedding must not be empty")
      .refine((vector) => vector.some((value) => value !== 0), "embedding must not be all zeros: a vector without a direction matches nothing")
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
  offset: z.coerce.number().int().min(0).max(MAX_ID).default(0),
  q: keptText("q", 200).trim().optional(),
  status: z.enum(documentStatuses, { error: `status must be one of ${documentStatuses.join(", ")}` }).optional(),
  format: z.enum(formats, { error: `format ${formatError}` }).optional(),
  sort: z.enum(documentOrders, { error: `sort must be one of ${documentOrders.join(", ")}` }).default(documentOrders[0]),
});

/** PATCH /api/documents/{id}: a new title, kept when the file is read again. */
export const renameDocumentRequest = z.object({ title: givenText("title", MAX_TITLE_CHARS) }).strict();
export type RenameDocumentRequest = z.input<typeof renameDocumentRequest>;

/** The most documents one request deletes: a page of the library, as the list returns it. */
export const MAX_BATCH_DELETE = 200;

/** POST /api/documents/batch-delete. */
export const deleteDocumentsRequest = z
  .object({
    ids: z
      .array(rowId("each of ids"), { error: "ids must be an array of document ids" })
      .min(1, "ids must name at least one document")
      .max(MAX_BATCH_DELETE, `ids may name at most ${MAX_BATCH_DELETE} documents`),
  })
  .strict();

/** The optional fields of a multipart upload, beside its files. */
export const uploadFields = z.object({
  title: keptText("title", 500).optional(),
  source: keptText("source", 2000).optional(),
});

export const documentIdParam = pathId("document");

export type CreateDocumentRequest = z.input<typeof createDocumentRequest>;
export type SearchRequest = z.input<typeof searchRequest>;

/*
 * Responses. Declared as schemas too, so the OpenAPI document (lib/api/openapi.ts)
 * is generated from the same source as the TypeScript types the browser uses.
 */

const count = z.number().int().min(0);
const timestamp = z.string().meta({ format: "date-time" });

export const apiError = z
  .object({ error: z.object({ code: z.string(), message: z.string().meta({ description: "One sentence a person can act on." }) }) })
  .meta({ id: "Error" });
export type ApiErrorBody = z.infer<typeof apiError>;

export const documentStatus = z.enum(["queued", "parsing", "embedding", "ready", "failed"]);
export type DocumentStatusJson = z.infer<typeof documentStatus>;

export const documentSummary = z
  .object({
    id: z.number().int(),
    title: z.string(),
    source: z.string(),
    filename: z.string().nullable(),
    format: z.string(),
    size_bytes: count,
    status: documentStatus,
    error: z.string().nullable(),
    chunk_count: count.meta({ description: "Chunks the document has (or will have, while embedding)." }),
    chunks_embedded: count,
    characters: count,
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "DocumentSummary" });
export type DocumentSummaryJson = z.infer<typeof documentSummary>;

const range = z.tuple([z.number().int(), z.number().int()]);

/** Where a chunk sits in its document. */
export const chunkLocation = z
  .object({ headings: z.array(z.string()).optional(), pages: range.optional(), rows: range.optional() })
  .meta({ id: "ChunkLocation" });
export type ChunkLocation = z.infer<typeof chunkLocation>;

/** Where code sits in a chunk's text, so it can be shown as code. */
const codeSpans = z
  .array(range)
  .meta({ description: "Where code blocks sit in content: [start, end) in UTF-16 code units. Shown monospaced, line breaks kept." });

export const documentDetail = documentSummary
  .extend({
    content: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    chunks: z.array(
      z.object({ id: z.number().int(), ordinal: count, content: z.string(), token_count: count, location: chunkLocation, code: codeSpans }),
    ),
  })
  .meta({ id: "DocumentDetail" });
export type DocumentDetailJson = z.infer<typeof documentDetail>;

export const createDocumentResponse = z.object({ document: documentSummary, duplicate: z.boolean() });
export type CreateDocumentResponse = z.infer<typeof createDocumentResponse>;

/** One entry per file of a multipart upload: queued, a duplicate, or refused with the reason. */
export const uploadResult = z.union([
  z.object({ filename: z.string(), document: documentSummary, duplicate: z.boolean() }),
  z.object({ filename: z.string(), error: apiError.shape.error }),
]);
export type UploadResultJson = z.infer<typeof uploadResult>;

export const uploadResponse = z.object({ uploads: z.array(uploadResult) });
export type UploadResponse = z.infer<typeof uploadResponse>;

export const documentListResponse = z.object({ documents: z.array(documentSummary), total: count });
export const deleteDocumentsResponse = z.object({ deleted: z.array(z.number().int()).meta({ description: "The ids deleted; ids of documents already gone are left out." }) });
export type DeleteDocumentsResponse = z.infer<typeof deleteDocumentsResponse>;
export type DocumentListResponse = z.infer<typeof documentListResponse>;

export type SearchModeJson = (typeof searchModes)[number];

const componentScore = z.object({ rank: z.number().int().min(1), score: z.number() });

export const searchResult = z
  .object({
    chunk_id: z.number().int(),
    document_id: z.number().int(),
    document_title: z.string(),
    document_format: z.string(),
    ordinal: count,
    content: z.string(),
    location: chunkLocation,
    code: codeSpans,
    score: z.number().meta({ description: "Semantic: cosine similarity. Keyword: BM25. Hybrid: fused, 0–1." }),
    mode: z.enum(searchModes),
    components: z
      .object({ semantic: componentScore.optional(), keyword: componentScore.optional() })
      .meta({ description: "Each retriever's rank (1-based) and score for this chunk; hybrid has both when both found it." }),
    highlights: z
      .array(range)
      .meta({ description: "Where the query's words occur in content: [start, end) in UTF-16 code units." }),
  })
  .meta({ id: "SearchResult" });
export type SearchResultJson = z.infer<typeof searchResult>;

export const searchResponse = z.object({ results: z.array(searchResult), mode: z.enum(searchModes), model: z.string() });
export type SearchResponse = z.infer<typeof searchResponse>;

export const legacyIngestResponse = z.object({
  status: z.literal("ok"),
  id: z.number().int(),
  chunks: count,
  duplicate: z.boolean(),
});

export const legacySearchResponse = z.object({
  results: z.array(z.object({ id: z.number().int(), document_id: z.number().int(), content: z.string(), similarity: z.number() })),
});
export type LegacySearchResponse = z.infer<typeof legacySearchResponse>;

const MAX_QUESTION_CHARS = 8000;

const question = (what: string) => givenText(what, MAX_QUESTION_CHARS);

const conversationTitle = givenText("title", 200);

const conversationId = rowId("conversation_id");

/** The documents a conversation asks about; null for the whole library. */
const conversationScope = z
  .array(rowId("each of document_ids"), {
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

export const conversationIdParam = pathId("conversation");

export const listConversationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(MAX_ID).default(0),
});

/** POST /api/session: the browser signs in with the API key once. */
export const sessionRequest = z.object({ api_key: requiredText("api_key") }).strict();

export const sessionStatus = z.object({
  required: z.boolean().meta({ description: "Whether this server has an API key (API_KEY)." }),
  signed_in: z.boolean(),
});
export type SessionStatusJson = z.infer<typeof sessionStatus>;

/** The original demo's POST /answer. */
export const legacyAnswerRequest = z.object({ query: question("query"), top_k: topK.default(5) });

const openAIText = z
  .string()
  .max(MAX_QUESTION_CHARS, `each message's content must be at most ${MAX_QUESTION_CHARS} characters`)
  .refine((value) => !UNSTORABLE.test(value), unstorable("messages"));
const openAIContent = z.union(
  [
    openAIText,
    z.array(z.object({ type: z.string(), text: openAIText.optional() }).loose(), {
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

export const conversation = z
  .object({
    id: z.number().int(),
    title: z.string(),
    document_ids: z
      .array(z.number().int())
      .nullable()
      .meta({ description: "The documents it asks about; null for the whole library." }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Conversation" });
export type ConversationJson = z.infer<typeof conversation>;

export const source = z
  .object({
    number: z.number().int().min(1),
    chunk_id: z.number().int().nullable(),
    document_id: z.number().int().nullable(),
    document_title: z.string(),
    content: z.string().nullable(),
    location: chunkLocation.nullable(),
    code: codeSpans,
    score: z.number(),
    cited: z.boolean(),
    removed: z.boolean().meta({ description: "True once its document was deleted: chunk, document and text are then null." }),
  })
  .meta({ id: "Source" });
export type SourceJson = z.infer<typeof source>;

const answerer = z.enum(["llm", "extractive"]);
export type AnswererJson = z.infer<typeof answerer>;

export const message = z
  .object({
    id: z.number().int(),
    role: z.enum(["user", "assistant"]),
    content: z.string(),
    status: z.enum(["complete", "stopped", "failed"]),
    error: z.string().nullable(),
    answerer: answerer.nullable(),
    model: z.string().nullable(),
    notice: z.string().nullable(),
    search_query: z.string().nullable(),
    omitted_sources: count,
    sources: z.array(source),
    created_at: timestamp,
  })
  .meta({ id: "Message" });
export type MessageJson = z.infer<typeof message>;

export const conversationDetail = conversation.extend({ messages: z.array(message) }).meta({ id: "ConversationDetail" });
export type ConversationDetailJson = z.infer<typeof conversationDetail>;

export const conversationListResponse = z.object({ conversations: z.array(conversation) });
export type ConversationListResponse = z.infer<typeof conversationListResponse>;

/** The server-sent events of POST /api/chat, in order: conversation, search, sources, answerer, delta…, then done or error. */
export const chatEvent = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("conversation"), conversation, user_message_id: z.number().int().nullable() }),
    z.object({ type: z.literal("search"), query: z.string() }),
    z.object({ type: z.literal("sources"), sources: z.array(source), omitted: count }),
    z.object({ type: z.literal("answerer"), answerer, model: z.string().nullable(), notice: z.string().nullable() }),
    z.object({ type: z.literal("delta"), text: z.string() }),
    z.object({ type: z.literal("done"), message }),
    z.object({ type: z.literal("error"), code: z.string(), message: z.string(), saved: message.nullable() }),
  ])
  .meta({ id: "ChatEvent" });
export type ChatEventJson = z.infer<typeof chatEvent>;

export const legacyAnswerResponse = z.object({
  answer: z.string(),
  answerer,
  sources: z.array(
    z.object({
      number: z.number().int(),
      chunk_id: z.number().int(),
      document_id: z.number().int(),
      document_title: z.string(),
      content: z.string(),
      score: z.number(),
      cited: z.boolean(),
    }),
  ),
});
export type LegacyAnswerResponse = z.infer<typeof legacyAnswerResponse>;
