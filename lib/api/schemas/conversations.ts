import { z } from "zod";
import { chunkLocation, codeSpans } from "./documents";
import { count, givenText, MAX_ID, pathId, question, rowId, timestamp } from "./fields";

/** Conversations and POST /api/chat with its stream of events. */

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

export const answerer = z.enum(["llm", "extractive"]);
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

/** POST /api/conversations/{id}/stop. */
export const stopAnswerResponse = z.object({
  stopped: z.boolean().meta({
    description: "Whether an answer was being written here; when true, its stream ends with the stopped answer as saved.",
  }),
});
export type StopAnswerResponse = z.infer<typeof stopAnswerResponse>;
