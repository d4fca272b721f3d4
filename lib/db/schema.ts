import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { bytea, tsvector, vector } from "./column-types";
import type { WeightFormat } from "../providers/embedding/weight-formats";
import { documentStatuses } from "../documents/status";
import { formats } from "../ingest/parse/types";

export type { DocumentStatus } from "../documents/status";

export const documents = pgTable(
  "documents",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    title: text().notNull(),
    /** The title was given by the person who added the document: parsing never replaces it. */
    titleGiven: boolean().notNull().default(false),
    source: text().notNull().default("api"),
    contentHash: text().notNull().unique(),
    /** The extracted text; empty until the document is parsed. */
    content: text().notNull().default(""),
    filename: text(),
    format: text({ enum: formats }).notNull().default("text"),
    sizeBytes: integer().notNull().default(0),
    status: text({ enum: documentStatuses }).notNull().default("queued"),
    error: text(),
    chunksTotal: integer().notNull().default(0),
    chunksEmbedded: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    /** The worker holding the document; its claim lapses at lockedUntil unless renewed. */
    claimToken: text(),
    lockedUntil: timestamp({ withTimezone: true }),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The parser, chunker and chunk settings the stored chunks were made with;
     * null before the document is processed, or when an earlier version of
     * pgrag processed it. A document whose value differs from the current one
     * is re-processed from its kept bytes.
     */
    processedWith: jsonb().$type<ProcessingVersion>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set by a trigger on every change, from the database's clock: the progress stream's cursor. */
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.createdAt),
    index("documents_pending_index")
      .on(table.id)
      .where(sql`${table.status} in ('queued', 'parsing', 'embedding')`),
    check(
      "documents_status_check",
      sql`${table.status} in ('queued', 'parsing', 'embedding', 'ready', 'failed')`,
    ),
  ],
);

/** Where a chunk sits in its document, and where code sits in its text. */
export interface ChunkMetadata {
  /** Headings above the chunk, outermost first. */
  headings?: string[];
  /** First and last PDF page. */
  pages?: [number, number];
  /** First and last data row (CSV, JSON). */
  rows?: [number, number];
  /** [start, end) offsets of code blocks in the chunk's text. */
  code?: [number, number][];
}

export interface ProcessingVersion {
  parser: number;
  chunker: number;
  chunkSize: number;
  chunkOverlap: number;
}

/** The uploaded bytes, kept with the document: a failed one is retried from them, and a ready one re-processed when the parser improves. */
/**
 * A document's file as uploaded, in parts of at most SOURCE_PART_BYTES: PGlite
 * runs each statement on the server's thread, and one 50 MB value would hold
 * it for seconds, where a part at a time lets requests through in between.
 */
export const documentSources = pgTable(
  "document_sources",
  {
    documentId: integer()
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    part: integer().notNull().default(0),
    bytes: bytea().notNull(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.part] })],
);

export const chunks = pgTable(
  "chunks",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    documentId: integer()
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    ordinal: integer().notNull(),
    content: text().notNull(),
    tokenCount: integer().notNull(),
    metadata: jsonb().$type<ChunkMetadata>().notNull().default({}),
    /** The words keyword search matches: document title, heading path and text, stemmed (see lib/retrieve/keyword.ts). */
    searchVector: tsvector().notNull().default(sql`''::tsvector`),
    /** Words in searchVector counted with repeats: BM25's document length. Set by a trigger. */
    searchLength: integer().notNull().default(0),
  },
  (table) => [unique().on(table.documentId, table.ordinal)],
);

/**
 * Keyword search's inverted index, in blocks as search engines keep it: each
 * row holds up to 128 postings of one term (more when late writers merge into
 * it), for chunks first_chunk_id..last_chunk_id, which no other block of the
 * term overlaps. `data` packs each posting in 10 bytes, big-endian: chunk id
 * (int4), the term's frequency in the chunk (int2), the chunk's length (int4),
 * in chunk order. Search reads a term's postings as a few rows and scores them
 * in the app; triggers on chunks keep the blocks current (see the migration
 * 0017_keyword_blocks, and keyword_block_postings() to read one in SQL).
 */
export const keywordBlocks = pgTable(
  "keyword_blocks",
  {
    term: text().notNull(),
    firstChunkId: integer().notNull(),
    lastChunkId: integer().notNull(),
    postings: integer().notNull(),
    data: bytea().notNull(),
  },
  (table) => [primaryKey({ columns: [table.term, table.firstChunkId] })],
);

/**
 * BM25's corpus statistics, kept current by triggers on chunks: how many chunks
 * hold each term (its document frequency), and how many chunks and words there
 * are in all.
 */
export const keywordTerms = pgTable("keyword_terms", {
  term: text().primaryKey(),
  chunks: integer().notNull(),
});

export const keywordCorpus = pgTable(
  "keyword_corpus",
  {
    id: boolean().primaryKey().default(true),
    chunks: bigint({ mode: "number" }).notNull().default(0),
    words: bigint({ mode: "number" }).notNull().default(0),
  },
  (table) => [check("keyword_corpus_single_row", sql`${table.id}`)],
);

/** What an HNSW index stores: 4-byte floats, or 2-byte ones at half the memory. */
export const vectorIndexTypes = ["vector", "halfvec"] as const;
export type VectorIndexType = (typeof vectorIndexTypes)[number];

export const embeddingModels = pgTable(
  "embedding_models",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    provider: text().notNull(),
    name: text().notNull(),
    dimensions: integer().notNull(),
    /** How to reach the model again (base URL, task prefixes), so search can keep using it after the configuration moves on. */
    settings: jsonb().$type<EmbeddingModelSettings>().notNull().default({}),
    /** The model search uses. Exactly one is active once anything is stored. */
    active: boolean().notNull().default(false),
    /** Set while every chunk is being embedded with this model, before it becomes active. */
    reembedRequestedAt: timestamp({ withTimezone: true }),
    /**
     * What its HNSW index stores: full `vector`s, or `halfvec`s at half the
     * size (VECTOR_INDEX_TYPE; always halfvec beyond 2,000 dimensions, where
     * pgvector cannot index `vector`). Searches cast to it to use the index.
     */
    indexType: text({ enum: vectorIndexTypes }).notNull().default("vector"),
    /** Its stored vectors, kept by triggers (drizzle/0012): counting them would read every vector. */
    embeddings: bigint({ mode: "number" }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique().on(table.provider, table.name, table.dimensions),
    uniqueIndex("embedding_models_one_active").on(sql`(true)`).where(sql`${table.active}`),
    check("embedding_models_dimensions_check", sql`${table.dimensions} between 1 and 16000`),
  ],
);

export interface EmbeddingModelSettings {
  baseURL?: string;
  /** The built-in model's int8 variant (EMBEDDING_WEIGHTS=int8): a model of its own, since its vectors differ slightly. */
  weights?: Exclude<WeightFormat, "float">;
  /** An ONNX model's folder (EMBEDDING_PROVIDER=onnx). */
  modelPath?: string;
  queryPrefix?: string;
  documentPrefix?: string;
  maxInputTokens?: number;
}

export const chunkEmbeddings = pgTable(
  "chunk_embeddings",
  {
    chunkId: integer()
      .notNull()
      .references(() => chunks.id, { onDelete: "cascade" }),
    modelId: integer()
      .notNull()
      .references(() => embeddingModels.id, { onDelete: "cascade" }),
    embedding: vector().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.chunkId, table.modelId] }),
    index().on(table.modelId),
  ],
);

/** A chat: its messages, and for each answer the sources it was given. */
export const conversations = pgTable(
  "conversations",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    title: text().notNull(),
    /** The documents the conversation asks about; null for the whole library. */
    documentIds: integer().array(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When the last message was added: the conversation list's order. */
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.updatedAt)],
);

export const messageRoles = ["user", "assistant"] as const;
/** complete, or cut short: stopped by the person, or failed with the reason in `error`. */
export const messageStatuses = ["complete", "stopped", "failed"] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messages = pgTable(
  "messages",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    conversationId: integer()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    role: text({ enum: messageRoles }).notNull(),
    content: text().notNull(),
    status: text({ enum: messageStatuses }).notNull().default("complete"),
    error: text(),
    /** An answer's provenance: who wrote it, the query it searched with, what was left out. */
    metadata: jsonb().$type<AnswerMetadata>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.conversationId, table.id),
    check("messages_role_check", sql`${table.role} in ('user', 'assistant')`),
    check("messages_status_check", sql`${table.status} in ('complete', 'stopped', 'failed')`),
  ],
);

export interface AnswerMetadata {
  /** "llm" when a language model wrote it; "extractive" when it is sentences quoted from the sources. */
  answerer?: "llm" | "extractive";
  model?: string;
  /** Why the extractive answerer stood in, when a model is configured but did not answer. */
  notice?: string;
  /** The standalone query retrieval used (the question, rewritten with the conversation when it is a follow-up). */
  searchQuery?: string;
  /** Relevant chunks that did not fit the context budget. */
  omittedSources?: number;
}

/**
 * The numbered sources an answer was given. The chunk link is cleared when its
 * document is deleted, so the citation shows as removed while the conversation
 * stays whole; the title is kept to say what was removed, the text is not.
 */
export const messageSources = pgTable(
  "message_sources",
  {
    messageId: integer()
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    chunkId: integer().references(() => chunks.id, { onDelete: "set null" }),
    documentTitle: text().notNull(),
    score: doublePrecision().notNull(),
    cited: boolean().notNull().default(false),
  },
  (table) => [primaryKey({ columns: [table.messageId, table.number] }), index().on(table.chunkId)],
);

export const documentsRelations = relations(documents, ({ many, one }) => ({
  chunks: many(chunks),
  source: one(documentSources),
}));

/**
 * Signed-in browsers (with API_KEY set). The cookie holds a random token; only
 * its hash is kept, so this table cannot sign anyone in. A session ends at
 * sign-out, after 30 days, or when API_KEY changes (it remembers which key
 * opened it).
 */
export const browserSessions = pgTable("browser_sessions", {
  tokenHash: text().primaryKey(),
  keyFingerprint: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});

export const documentSourcesRelations = relations(documentSources, ({ one }) => ({
  document: one(documents, { fields: [documentSources.documentId], references: [documents.id] }),
}));

export const chunksRelations = relations(chunks, ({ one, many }) => ({
  document: one(documents, { fields: [chunks.documentId], references: [documents.id] }),
  embeddings: many(chunkEmbeddings),
}));

export const chunkEmbeddingsRelations = relations(chunkEmbeddings, ({ one }) => ({
  chunk: one(chunks, { fields: [chunkEmbeddings.chunkId], references: [chunks.id] }),
  model: one(embeddingModels, { fields: [chunkEmbeddings.modelId], references: [embeddingModels.id] }),
}));

export type Document = typeof documents.$inferSelect;
export type Chunk = typeof chunks.$inferSelect;
export type EmbeddingModel = typeof embeddingModels.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
