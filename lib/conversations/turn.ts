import "server-only";
import { conversationJson, messageJson, sourceJson } from "../api/present";
import type { ChatEventJson } from "../api/schemas";
import { answerQuestion, type AnswerDependencies, type AnswerSettings } from "../answer/answer";
import type { Turn } from "../answer/prompt";
import type { Source } from "../answer/sources";
import type { AnswerMetadata } from "../db/schema";
import {
  addUserMessage,
  createConversation,
  getConversation,
  removeLastAnswer,
  saveAnswer,
  titleFrom,
  updateConversation,
  type StoredMessage,
} from "./store";

export interface TurnRequest {
  conversationId?: number;
  message?: string;
  /** Answer the last question again, replacing its answer. */
  regenerate?: boolean;
  /** Changes the documents the conversation asks about (null: the whole library); unchanged when absent. */
  documentIds?: number[] | null;
  signal?: AbortSignal;
}

/**
 * One exchange of a conversation: the question is stored before anything
 * else, so it is never lost; the answer streams as it is written and is
 * stored with its sources when it ends: complete, stopped by the person, or
 * failed part-way with what had arrived.
 */
export async function* chatTurn(
  deps: AnswerDependencies,
  request: TurnRequest,
  settings: AnswerSettings,
): AsyncGenerator<ChatEventJson> {
  const { db } = deps;
  let conversationId = request.conversationId;
  if (conversationId === undefined) {
    conversationId = (await createConversation(db, titleFrom(request.message!), request.documentIds ?? null)).id;
  } else if (request.documentIds !== undefined) {
    await updateConversation(db, conversationId, { documentIds: request.documentIds });
  }
  if (request.regenerate) await removeLastAnswer(db, conversationId);
  const before = await getConversation(db, conversationId);

  let question: string;
  let earlier: StoredMessage[];
  let userMessageId: number | null = null;
  if (request.regenerate) {
    const lastQuestion = before.messages.findLastIndex((m) => m.role === "user");
    question = before.messages[lastQuestion]!.content;
    earlier = before.messages.slice(0, lastQuestion);
  } else {
    question = request.message!;
    earlier = before.messages;
    userMessageId = (await addUserMessage(db, conversationId, question)).id;
  }
  yield { type: "conversation", conversation: conversationJson(before), user_message_id: userMessageId };

  const history: Turn[] = earlier
    .filter((m) => m.status !== "failed" && m.content)
    .map((m) => ({ role: m.role, content: m.content }));
  const previousQuery = earlier.findLast((m) => m.role === "assistant")?.metadata.searchQuery;

  const metadata: AnswerMetadata = {};
  let sources: Source[] = [];
  const filters = before.documentIds ? { documentIds: before.documentIds } : undefined;
  for await (const event of answerQuestion(deps, { question, history, previousQuery, filters, signal: request.signal }, settings)) {
    switch (event.type) {
      case "search":
        metadata.searchQuery = event.query;
        yield event;
        break;
      case "sources":
        sources = event.sources;
        metadata.omittedSources = event.omitted;
        yield { type: "sources", sources: sources.map((s) => sourceJson(s)), omitted: event.omitted };
        break;
      case "answerer":
        Object.assign(metadata, { answerer: event.answerer, model: event.model, notice: event.notice });
        yield { type: "answerer", answerer: event.answerer, model: event.model ?? null, notice: event.notice ?? null };
        break;
      case "delta":
        yield event;
        break;
      case "done": {
        const saved = await saveAnswer(db, conversationId, { ...event, metadata, sources });
        yield { type: "done", message: savedJson(saved, sources, event.cited) };
        break;
      }
      case "error": {
        const saved = await saveAnswer(db, conversationId, {
          content: event.content,
          status: "failed",
          error: event.message,
          metadata,
          sources,
          cited: event.cited,
        });
        yield { type: "error", code: event.code, message: event.message, saved: savedJson(saved, sources, event.cited) };
        break;
      }
    }
  }
}

function savedJson(
  saved: { id: number; content: string; status: StoredMessage["status"]; error: string | null; metadata: AnswerMetadata; createdAt: Date },
  sources: Source[],
  cited: number[],
) {
  const citedSet = new Set(cited);
  return messageJson({
    ...saved,
    role: "assistant",
    sources: sources.map((s) => ({ ...s, cited: citedSet.has(s.number) })),
  });
}
