import { relations, sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { vector } from "./vector";

export const documentStatuses = ["queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

export const documents = pgTable(
  "documents",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    title: text().notNull(),
    source: text().notNull().default("api"),
    contentHash: text().notNull().unique(),
    content: text().notNull(),
    status: text({ enum: documentStatuses }).notNull().default("ready"),
    error: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (table) => [
    index().on(table.createdAt),
    check(
      "documents_status_check",
      sql`${table.status} in ('queued', 'processing', 'ready', 'failed')`,
    ),
  ],
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
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [unique().on(table.documentId, table.ordinal)],
);

export const embeddingModels = pgTable(
  "embedding_models",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    provider: text().notNull(),
    name: text().notNull(),
    dimensions: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique().on(table.provider, table.name, table.dimensions),
    check("embedding_models_dimensions_check", sql`${table.dimensions} between 1 and 16000`),
  ],
);

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

export const documentsRelations = relations(documents, ({ many }) => ({
  chunks: many(chunks),
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
