"use client";

import { useState } from "react";
import type { AnswererJson, SourceJson } from "@/lib/api/schemas";
import { AnswerMarkdown } from "./answer-markdown";
import { SourceList } from "./source-list";
import { SourceSheet } from "./source-sheet";

export interface AnswerView {
  content: string;
  sources: SourceJson[];
  omitted: number;
  answerer: AnswererJson | null;
  model: string | null;
  notice: string | null;
  status: "streaming" | "complete" | "stopped" | "failed";
  error: string | null;
  /** What retrieval searched for: the question, or a follow-up made standalone. */
  searchQuery: string | null;
}

export function QuestionBubble({ content }: { content: string }) {
  return (
    <div className="flex justify-end" data-testid="question">
      <p className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-indigo-600 px-4 py-2 text-sm text-white">
        {content}
      </p>
    </div>
  );
}

export function AnswerBubble({
  answer,
  question,
  onRegenerate,
  explained = false,
}: {
  answer: AnswerView;
  /** An earlier answer in this conversation already said it was quoted without a model: say it briefly. */
  explained?: boolean;
  /** The question it answers: when retrieval searched for something else (a follow-up made standalone), the bubble says what. */
  question?: string | null;
  onRegenerate?: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const [openSource, setOpenSource] = useState<SourceJson | null>(null);
  const streaming = answer.status === "streaming";
  const searchedOtherwise = answer.searchQuery && answer.searchQuery.trim() !== question?.trim();
  return (
    <article className="flex flex-col gap-2" data-testid="answer" aria-busy={streaming}>
      <SourceSheet source={openSource} onClose={() => setOpenSource(null)} />
      {answer.answerer === "extractive" && explained ? (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="answerer">
          Extractive answer
        </p>
      ) : answer.answerer === "extractive" ? (
        <p className="w-fit rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300" data-testid="answerer">
          Extractive answer: quoted from your documents, no language model
        </p>
      ) : answer.answerer === "llm" ? (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="answerer">
          Answered by {answer.model}
        </p>
      ) : null}
      {answer.notice && !explained && (
        <details className="text-xs text-slate-600 dark:text-slate-400">
          <summary className="cursor-pointer">Why no language model?</summary>
          <p className="mt-1">{answer.notice}</p>
        </details>
      )}
      <div className="rounded-2xl rounded-bl-sm border border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
        {searchedOtherwise && (
          <p className="mb-2 text-xs text-slate-600 dark:text-slate-400" data-testid="search-query">
            Searched for “{answer.searchQuery}”
          </p>
        )}
        {answer.content ? (
          <AnswerMarkdown content={answer.content} sources={answer.sources} onOpen={setOpenSource} />
        ) : streaming ? (
          <p className="animate-pulse text-sm text-slate-600 dark:text-slate-400">{answer.sources.length ? "Writing…" : "Searching your documents…"}</p>
        ) : null}
        {answer.status === "stopped" && <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">Stopped.</p>}
        {answer.status === "failed" && (
          <p role="alert" className="mt-2 text-xs text-red-600 dark:text-red-400">
            The answer broke off: {answer.error}
          </p>
        )}
        <SourceList sources={answer.sources} omitted={answer.omitted} onOpen={setOpenSource} />
      </div>
      {!streaming && (
        <div className="flex gap-3 text-xs text-slate-600 dark:text-slate-400">
          <button
            type="button"
            className="hover:text-slate-900 dark:hover:text-slate-100"
            onClick={async () => {
              await navigator.clipboard.writeText(answer.content);
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
          {onRegenerate && (
            <button type="button" className="hover:text-slate-900 dark:hover:text-slate-100" onClick={onRegenerate}>
              Regenerate
            </button>
          )}
        </div>
      )}
    </article>
  );
}
