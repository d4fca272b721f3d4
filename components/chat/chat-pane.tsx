"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { api } from "../api-client";
import { SuggestedQuestions, useLibraryOverview } from "../first-run";
import { AnswerBubble, QuestionBubble } from "./message-view";
import { ScopePicker } from "./scope-picker";
import { conversationKey, storedAnswer, useChatTurn } from "./use-chat-turn";

export function ChatPane({ conversationId, onCreated }: { conversationId: number | null; onCreated: (id: number) => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState("");
  /** The scope chosen before a new conversation exists; an existing one keeps its own. */
  const [newScope, setNewScope] = useState<number[] | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const detail = useQuery({
    queryKey: conversationKey(conversationId ?? 0),
    queryFn: () => api.getConversation(conversationId!),
    enabled: conversationId !== null,
  });
  const stored = conversationId === null ? [] : (detail.data?.conversation.messages ?? []);
  const { pending, problem, setProblem, ask, stop } = useChatTurn({
    conversationId,
    newScope,
    newestMessageId: stored.at(-1)?.id ?? 0,
    onCreated,
  });
  const streaming = pending?.answer.status === "streaming";
  const scope = conversationId === null ? newScope : (detail.data?.conversation.document_ids ?? null);
  async function changeScope(ids: number[] | null) {
    if (conversationId === null) return setNewScope(ids);
    try {
      await api.updateConversation(conversationId, { document_ids: ids });
      await queryClient.invalidateQueries({ queryKey: conversationKey(conversationId) });
    } catch (error) {
      setProblem((error as Error).message);
    }
  }
  const settled = pending?.savedId != null && stored.some((m) => m.id === pending.savedId);
  const shownPending = settled ? null : pending;
  // Regenerating replaces the last answer: hide the old one while the new one streams.
  const visible = shownPending?.question === null && stored.at(-1)?.role === "assistant" ? stored.slice(0, -1) : stored;
  // The first quoted answer says why there is no model; the later ones say it in two words.
  const firstExtractive = visible.find((message) => message.role === "assistant" && message.answerer === "extractive");

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [visible.length, shownPending?.answer.content.length]);

  async function run(input: { message?: string; regenerate?: boolean }) {
    const { failed } = await ask(input);
    if (failed && input.message) setDraft(input.message);
  }

  const library = useLibraryOverview(conversationId === null);
  // Arriving from another page: /chat?documents=1,2 ("Ask about these") scopes
  // the new conversation to those files; /chat?ask=… (a suggested question) asks it once.
  const arrived = useRef(false);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (arrived.current || conversationId !== null || (!params.has("ask") && !params.has("documents"))) return;
    arrived.current = true;
    window.history.replaceState(null, "", "/chat");
    const ids = (params.get("documents") ?? "").split(",").map(Number).filter((id) => Number.isInteger(id) && id > 0);
    // Once, on arrival, from the address the server cannot see (rendering it there would mismatch on hydration).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (ids.length > 0) setNewScope(ids);
    const question = params.get("ask")?.trim();
    if (question) void run({ message: question });
    // Only on arrival: run changes with every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function send() {
    const message = draft.trim();
    if (!message || streaming) return;
    setDraft("");
    void run({ message });
  }

  const lastAssistant = visible.findLast((m) => m.role === "assistant");
  // The stored copies of the turn being shown keep its bubbles' keys, so React
  // keeps the streamed bubble (and an open citation preview) rather than remounting it.
  const bubbleKey = (id: number) =>
    pending && id === pending.savedId ? `turn-${pending.turn}-answer` : pending && id === pending.questionId ? `turn-${pending.turn}-question` : `message-${id}`;
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex-1 overflow-y-auto px-1 py-4" aria-live="polite">
        <div className="mx-auto flex max-w-3xl flex-col gap-5">
          {conversationId === null && !pending && (
            <div className="py-10 text-center text-sm text-slate-600 dark:text-slate-400">
              <p className="text-base font-medium text-slate-700 dark:text-slate-300">Ask your documents</p>
              <p className="mt-1">Answers cite the passages they come from: point at a citation to preview it, click it to read it beside the chat.</p>
              {library.hasSamples && (
                <div className="mt-6 flex flex-col items-center">
                  <p className="text-xs font-medium">Try a question about the sample documents</p>
                  <SuggestedQuestions onAsk={(question) => void run({ message: question })} />
                </div>
              )}
              {library.known && library.total === 0 && (
                <p className="mt-4">
                  Your library is empty:{" "}
                  <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
                    add files or load the sample documents
                  </Link>{" "}
                  first.
                </p>
              )}
            </div>
          )}
          {detail.isError && <p role="alert" className="text-sm text-red-600">{detail.error.message}</p>}
          {/* One array, so React matches a streamed bubble with its stored copy by key. */}
          {[
            ...visible.map((message, i) =>
              message.role === "user" ? (
                <QuestionBubble key={bubbleKey(message.id)} content={message.content} />
              ) : (
                <AnswerBubble
                  key={bubbleKey(message.id)}
                  explained={firstExtractive !== undefined && message.id !== firstExtractive.id}
                  question={visible[i - 1]?.role === "user" ? visible[i - 1]!.content : null}
                  answer={storedAnswer(message)}
                  onRegenerate={!pending || settled ? (message === lastAssistant ? () => void run({ regenerate: true }) : undefined) : undefined}
                />
              ),
            ),
            shownPending && shownPending.question !== null && !stored.some((m) => m.id === shownPending.questionId) && (
              <QuestionBubble key={`turn-${shownPending.turn}-question`} content={shownPending.question} />
            ),
            shownPending && (
              <AnswerBubble
                key={`turn-${shownPending.turn}-answer`}
                answer={shownPending.answer}
                question={shownPending.question}
                explained={firstExtractive !== undefined}
              />
            ),
          ]}
          {problem && (
            <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
              {problem}
            </p>
          )}
          <div ref={bottom} />
        </div>
      </div>
      <form
        className="mx-auto flex w-full max-w-3xl items-end gap-2 border-t border-slate-200 pt-3 dark:border-slate-800"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <textarea
          aria-label="Your question"
          placeholder="Ask a question about your documents…"
          rows={2}
          value={draft}
          maxLength={8000}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              send();
            }
          }}
          className="min-h-[3rem] flex-1 resize-y rounded-xl border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none dark:border-slate-700 dark:bg-slate-900"
        />
        {streaming ? (
          <button
            type="button"
            onClick={() => void stop()}
            className="rounded-xl bg-slate-800 px-4 py-2 text-sm font-medium text-white dark:bg-slate-200 dark:text-slate-900"
          >
            Stop
          </button>
        ) : (
          <button
            type="submit"
            disabled={!draft.trim()}
            className="rounded-xl bg-indigo-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50"
          >
            Send
          </button>
        )}
      </form>
      <div className="mx-auto mt-1 flex w-full max-w-3xl items-center justify-between gap-2">
        <ScopePicker value={scope} onChange={(ids) => void changeScope(ids)} />
        <p className="text-xs text-slate-600 dark:text-slate-400">Enter sends · Shift+Enter starts a new line</p>
      </div>
    </div>
  );
}
