import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { codeOf, locationOf, type ChunkLocation, type CodeSpans } from "../documents/location";
import type { Database } from "../db/client";
import {
  chunks,
  conversations,
  documents,
  messages,
  messageSources,
  type AnswerMetadata,
  type Conversation,
  type MessageStatus,
} from "../db/schema";
import { InputError, notFound } from "../errors";
import type { Source } from "../answer/sources";
import { requireDocuments } from "../documents/library";

/** Conversations and their messages in PostgreSQL: they survive restarts, and deleting a document leaves them whole. */

export interface StoredSource {
  number: number;
  /** Null once the document was deleted: the citation shows as removed. */
  chunkId: number | null;
  documentId: number | null;
  documentTitle: string;
  content: string | null;
  location: ChunkLocation | null;
  code: CodeSpans;
  score: number;
  cited: boolean;
}

export interface StoredMessage {
  id: number;
  role: "user" | "assistant";
  content: string;
  status: MessageStatus;
  error: string | null;
  metadata: AnswerMetadata;
  createdAt: Date;
  sources: StoredSource[];
}

export interface ConversationWithMessages extends Conversation {
  messages: StoredMessage[];
}

const TITLE_LENGTH = 80;

/** A title from the first question: its first line, cut at a word. */
export function titleFrom(question: string): string {
  const line = question.trim().split("\n")[0]!.trim();
  if (line.length <= TITLE_LENGTH) return line;
  return `${line.slice(0, TITLE_LENGTH).replace(/\s+\S*$/, "")}…`;
}

export async function createConversation(db: Database, title: string, documentIds: number[] | null = null): Promise<Conversation> {
  if (documentIds) await requireDocuments(db, documentIds);
  const [row] = await db.insert(conversations).values({ title, documentIds }).returning();
  return row!;
}

export async function listConversations(db: Database, options: { limit: number; offset: number }) {
  return db
    .select()
    .from(conversations)
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(options.limit)
    .offset(options.offset);
}

export async function requireConversation(db: Database, id: number): Promise<Conversation> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  if (!row) throw notFound("conversation", id);
  return row;
}

/** A new title, or a new set of documents to ask about (null: the whole library). */
export async function updateConversation(
  db: Database,
  id: number,
  changes: { title?: string; documentIds?: number[] | null },
): Promise<Conversation> {
  if (changes.documentIds) await requireDocuments(db, changes.documentIds);
  const [row] = await db.update(conversations).set(changes).where(eq(conversations.id, id)).returning();
  if (!row) throw notFound("conversation", id);
  return row;
}

export async function deleteConversation(db: Database, id: number): Promise<void> {
  const deleted = await db.delete(conversations).where(eq(conversations.id, id)).returning({ id: conversations.id });
  if (deleted.length === 0) throw notFound("conversation", id);
}

export async function getConversation(db: Database, id: number): Promise<ConversationWithMessages> {
  const conversation = await requireConversation(db, id);
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, id))
    .orderBy(asc(messages.id));
  const sources = rows.length
    ? await db
        .select({
          messageId: messageSources.messageId,
          number: messageSources.number,
          chunkId: messageSources.chunkId,
          documentId: chunks.documentId,
          documentTitle: sql<string>`coalesce(${documents.title}, ${messageSources.documentTitle})`,
          content: chunks.content,
          metadata: chunks.metadata,
          score: messageSources.score,
          cited: messageSources.cited,
        })
        .from(messageSources)
        .leftJoin(chunks, eq(chunks.id, messageSources.chunkId))
        .leftJoin(documents, eq(documents.id, chunks.documentId))
        .where(inArray(messageSources.messageId, rows.map((r) => r.id)))
        .orderBy(asc(messageSources.messageId), asc(messageSources.number))
    : [];
  return {
    ...conversation,
    messages: rows.map((row) => ({
      id: row.id,
      role: row.role,
      content: row.content,
      status: row.status,
      error: row.error,
      metadata: row.metadata,
      createdAt: row.createdAt,
      sources: sources
        .filter((s) => s.messageId === row.id)
        .map((s) => ({
          number: s.number,
          chunkId: s.chunkId,
          documentId: s.documentId,
          documentTitle: s.documentTitle,
          content: s.content,
          location: s.metadata ? locationOf(s.metadata) : null,
          code: codeOf(s.metadata),
          score: s.score,
          cited: s.cited,
        })),
    })),
  };
}

export async function addUserMessage(db: Database, conversationId: number, content: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(messages).values({ conversationId, role: "user", content }).returning();
    await tx.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, conversationId));
    return row!;
  });
}

export interface AnswerRecord {
  content: string;
  status: MessageStatus;
  error?: string;
  metadata: AnswerMetadata;
  sources: Source[];
  cited: number[];
}

/** The answer and the sources it was given, in one transaction: never an answer without its sources. */
export async function saveAnswer(db: Database, conversationId: number, answer: AnswerRecord) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(messages)
      .values({
        conversationId,
        role: "assistant",
        content: answer.content,
        status: answer.status,
        error: answer.error,
        metadata: answer.metadata,
      })
      .returning();
    if (answer.sources.length) {
      const cited = new Set(answer.cited);
      await tx.insert(messageSources).values(
        answer.sources.map((source) => ({
          messageId: row!.id,
          number: source.number,
          chunkId: source.chunkId,
          documentTitle: source.documentTitle,
          score: source.score,
          cited: cited.has(source.number),
        })),
      );
    }
    await tx.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, conversationId));
    return row!;
  });
}

/** Regenerating replaces the last answer: it is deleted, and the question before it is asked again. */
export async function removeLastAnswer(db: Database, conversationId: number) {
  const [last] = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.id))
    .limit(1);
  if (!last) throw new InputError("nothing_to_regenerate", "This conversation has no question to answer again.", 409);
  if (last.role === "assistant") {
    await db.delete(messages).where(and(eq(messages.id, last.id), eq(messages.conversationId, conversationId)));
  }
}
