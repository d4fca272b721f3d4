import "server-only";
import { answerQuestion, type AnswerDependencies, type AnswerEvent, type AnswerRequest, type AnswerSettings } from "../answer/answer";
import type { Turn } from "../answer/prompt";
import type { Source } from "../answer/sources";
import type { AnswerMetadata, Conversation } from "../db/schema";
import type { ProviderErrorCode } from "../providers/errors";
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
import { trackTurn } from "./running";

export interface TurnRequest {
  conversationId?: number;
  message?: string;
  /** Answer the last question again, replacing its answer. */
  regenerate?: boolean;
  /** Changes the documents the conversation asks about (null: the whole library); unchanged when absent. */
  documentIds?: number[] | null;
  signal?: AbortSignal;
}

/** What a turn reports as it goes: the answer's own events, with the conversation first and the saved answer last. */
export type TurnEvent =
  | { type: "conversation"; conversation: Conversation; userMessageId: number | null }
  | Extract<AnswerEvent, { type: "search" | "sources" | "answerer" | "delta" }>
  | { type: "done"; message: StoredMessage }
  | { type: "error"; code: ProviderErrorCode; message: string; saved: StoredMessage | null };

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
): AsyncGenerator<TurnEvent> {
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
  yield { type: "conversation", conversation: before, userMessageId };

  const history: Turn[] = earlier
    .filter((m) => m.status !== "failed" && m.content)
    .map((m) => ({ role: m.role, content: m.content }));
  const previousQuery = earlier.findLast((m) => m.role === "assistant")?.metadata.searchQuery;
  // Stopped by the client going away, or by Stop (stopTurns) while the stream stays open for the saved answer.
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const untrack = trackTurn(conversationId, stop);
  try {
    const filters = before.documentIds ? { documentIds: before.documentIds } : undefined;
    yield* answerAndSave(deps, conversationId, { question, history, previousQuery, filters, signal }, settings);
  } finally {
    untrack();
  }
}

/** Streams the answer and stores it with its sources when it ends: complete, stopped, or failed with what had arrived. */
async function* answerAndSave(
  deps: AnswerDependencies,
  conversationId: number,
  request: AnswerRequest,
  settings: AnswerSettings,
): AsyncGenerator<TurnEvent> {
  const { db } = deps;
  const metadata: AnswerMetadata = {};
  let sources: Source[] = [];
  for await (const event of answerQuestion(deps, request, settings)) {
    switch (event.type) {
      case "search":
        metadata.searchQuery = event.query;
        yield event;
        break;
      case "sources":
        sources = event.sources;
        metadata.omittedSources = event.omitted;
        yield event;
        break;
      case "answerer":
        Object.assign(metadata, { answerer: event.answerer, model: event.model, notice: event.notice });
        yield event;
        break;
      case "delta":
        yield event;
        break;
      case "done": {
        const saved = await saveAnswer(db, conversationId, { ...event, metadata, sources });
        yield { type: "done", message: withSources(saved, sources, event.cited) };
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
        yield { type: "error", code: event.code, message: event.message, saved: withSources(saved, sources, event.cited) };
        break;
      }
    }
  }
}

function withSources(
  saved: Omit<StoredMessage, "role" | "sources">,
  sources: Source[],
  cited: number[],
): StoredMessage {
  const citedSet = new Set(cited);
  return { ...saved, role: "assistant", sources: sources.map((s) => ({ ...s, cited: citedSet.has(s.number) })) };
}
