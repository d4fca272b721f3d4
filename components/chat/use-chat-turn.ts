"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { ChatEventJson, MessageJson } from "@/lib/api/schemas";
import { api } from "../api-client";
import { conversationsKey } from "./conversation-list";
import type { AnswerView } from "./message-view";

export const conversationKey = (id: number) => ["conversation", id] as const;

/** The exchange being streamed: shown after the stored messages until the stored copy replaces it. */
export interface PendingTurn {
  /** Names this turn's bubbles for React, before and after the stored copies replace them. */
  turn: number;
  /** Null when regenerating: the question is the stored one. */
  question: string | null;
  /** The stored copy of the question, once the server has it. */
  questionId: number | null;
  answer: AnswerView;
  /** The stored answer's id, once the server says it is saved. */
  savedId: number | null;
}

const emptyAnswer: AnswerView = {
  content: "",
  sources: [],
  omitted: 0,
  answerer: null,
  model: null,
  notice: null,
  status: "streaming",
  error: null,
  searchQuery: null,
};

export function storedAnswer(message: MessageJson): AnswerView {
  return {
    content: message.content,
    sources: message.sources,
    omitted: message.omitted_sources,
    answerer: message.answerer,
    model: message.model,
    notice: message.notice,
    status: message.status,
    error: message.error,
    searchQuery: message.search_query,
  };
}

/** The pending turn after one event of its stream; done and error carry the saved answer and its id. */
function applyEvent(turn: PendingTurn, event: ChatEventJson): PendingTurn {
  const { answer } = turn;
  switch (event.type) {
    case "conversation":
      return { ...turn, questionId: event.user_message_id };
    case "search":
      return { ...turn, answer: { ...answer, searchQuery: event.query } };
    case "sources":
      return { ...turn, answer: { ...answer, sources: event.sources, omitted: event.omitted } };
    case "answerer":
      return { ...turn, answer: { ...answer, answerer: event.answerer, model: event.model, notice: event.notice } };
    case "delta":
      return { ...turn, answer: { ...answer, content: answer.content + event.text } };
    case "done":
      return { ...turn, answer: storedAnswer(event.message), savedId: event.message.id };
    case "error":
      return event.saved
        ? { ...turn, answer: storedAnswer(event.saved), savedId: event.saved.id }
        : { ...turn, answer: { ...answer, status: "failed", error: event.message } };
  }
}

const SAVED_ANSWER_POLL_MS = 200;
const SAVED_ANSWER_WAIT_MS = 10_000;

/** After the stream was cut, the answer the server saved when it noticed: the first assistant message newer than `after`. */
async function savedAnswerAfter(conversationId: number, after: number): Promise<MessageJson | undefined> {
  for (const deadline = Date.now() + SAVED_ANSWER_WAIT_MS; Date.now() < deadline; ) {
    const { conversation } = await api.getConversation(conversationId);
    const saved = conversation.messages.find((m) => m.role === "assistant" && m.id > after);
    if (saved) return saved;
    await new Promise((resolve) => setTimeout(resolve, SAVED_ANSWER_POLL_MS));
  }
  return undefined;
}

/**
 * Asking, streaming and stopping one answer at a time. Stop asks the server
 * to stop the answer; the stream then ends with the stopped answer as saved,
 * which takes the streamed copy's place. Only if the server cannot stop it
 * (another instance writes it) is the stream cut, and the saved answer read
 * back once the server has stored it.
 */
export function useChatTurn(options: {
  conversationId: number | null;
  /** Documents a new conversation asks about. */
  newScope: number[] | null;
  /** The newest stored message's id, so a saved answer can be told from older ones. */
  newestMessageId: number;
  onCreated: (id: number) => void;
}) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const current = useRef<{ controller: AbortController; conversationId: number | null } | null>(null);
  const turns = useRef(0);

  useEffect(() => () => current.current?.controller.abort(), []);

  async function ask(input: { message?: string; regenerate?: boolean }): Promise<{ failed: boolean }> {
    const { conversationId, newScope, newestMessageId, onCreated } = options;
    const turn = { controller: new AbortController(), conversationId };
    current.current = turn;
    setProblem(null);
    turns.current += 1;
    setPending({ turn: turns.current, question: input.message ?? null, questionId: null, answer: emptyAnswer, savedId: null });
    let failed = false;
    try {
      await api.chat(
        conversationId === null ? { document_ids: newScope, ...input } : { conversation_id: conversationId, ...input },
        (event) => {
          if (event.type === "conversation") {
            turn.conversationId = event.conversation.id;
            if (conversationId === null) onCreated(event.conversation.id);
            void queryClient.invalidateQueries({ queryKey: conversationsKey });
          }
          setPending((shown) => shown && applyEvent(shown, event));
        },
        turn.controller.signal,
      );
    } catch (error) {
      if (turn.controller.signal.aborted) {
        const saved = turn.conversationId === null ? undefined : await savedAnswerAfter(turn.conversationId, newestMessageId).catch(() => undefined);
        setPending((shown) => shown && { ...shown, answer: saved ? storedAnswer(saved) : { ...shown.answer, status: "stopped" }, savedId: saved?.id ?? null });
      } else {
        setProblem((error as Error).message);
        setPending(null);
        failed = true;
      }
    } finally {
      if (current.current === turn) current.current = null;
      if (turn.conversationId !== null) await queryClient.invalidateQueries({ queryKey: conversationKey(turn.conversationId) });
    }
    return { failed };
  }

  async function stop() {
    const turn = current.current;
    if (!turn) return;
    if (turn.conversationId !== null) {
      try {
        if ((await api.stopAnswer(turn.conversationId)).stopped) return;
      } catch {
        // Cut the stream instead: the server stores the answer when it notices.
      }
    }
    turn.controller.abort();
  }

  return { pending, problem, setProblem, ask, stop };
}
