"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { SAMPLE_DOCUMENTS, SAMPLE_QUESTIONS, SAMPLE_SOURCE } from "@/lib/samples/catalog";
import { api } from "./api-client";

/**
 * How full the library is: the first-run path shows only while it is empty,
 * the sample questions while samples are in it. `needed` false skips the
 * request where nothing would show it (an open conversation).
 */
export function useLibraryOverview(needed = true) {
  const query = useQuery({ queryKey: ["documents", {}], queryFn: () => api.listDocuments({}), enabled: needed });
  const documents = query.data?.documents ?? [];
  return {
    known: query.isSuccess,
    total: query.data?.total ?? 0,
    hasSamples: documents.some((document) => document.source === SAMPLE_SOURCE),
  };
}

/** Where a suggested question opens: a new conversation that asks it at once. */
function askHref(question: string) {
  return `/chat?ask=${encodeURIComponent(question)}`;
}

/**
 * An empty library says what to do first: add files, or load the sample
 * manual pages with one click; with the samples in, it suggests questions
 * they answer.
 */
export function FirstRun() {
  const library = useLibraryOverview();
  const queryClient = useQueryClient();
  const load = useMutation({
    mutationFn: api.loadSamples,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["documents"] }),
  });
  if (!library.known) return null;
  if (library.total === 0) {
    return (
      <section aria-labelledby="first-run-heading" className="rounded-xl border border-indigo-200 bg-indigo-50 p-5 dark:border-indigo-900 dark:bg-indigo-950/40">
        <h2 id="first-run-heading" className="text-base font-semibold">
          Your library is empty
        </h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          Drop your own files below, or start with three real manual pages ({SAMPLE_DOCUMENTS.map((sample) => sample.about.split(":")[0]).join(", ")}) and ask
          them something.
        </p>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => load.mutate()}
            disabled={load.isPending}
            className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-60"
          >
            {load.isPending ? "Loading…" : "Load sample documents"}
          </button>
          {load.isError && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {load.error.message}
            </p>
          )}
        </div>
      </section>
    );
  }
  if (!library.hasSamples) return null;
  return (
    <section aria-labelledby="try-heading" className="rounded-xl border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="try-heading" className="text-base font-semibold">
        Try asking the sample documents
      </h2>
      <SuggestedQuestions />
    </section>
  );
}

export function SuggestedQuestions({ onAsk }: { onAsk?: (question: string) => void }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-2" aria-label="Suggested questions">
      {SAMPLE_QUESTIONS.map((question) => (
        <li key={question}>
          {onAsk ? (
            <button type="button" onClick={() => onAsk(question)} className={suggestionClass}>
              {question}
            </button>
          ) : (
            <Link href={askHref(question)} className={suggestionClass}>
              {question}
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}

const suggestionClass =
  "block rounded-full border border-slate-300 px-3 py-1.5 text-left text-sm text-slate-700 hover:border-indigo-400 hover:bg-indigo-50 dark:border-slate-700 dark:text-slate-300 dark:hover:border-indigo-700 dark:hover:bg-indigo-950";
