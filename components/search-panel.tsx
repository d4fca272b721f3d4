"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import Link from "next/link";
import { api } from "./api-client";
import { describeLocation } from "./format";

export function SearchPanel() {
  const [draft, setDraft] = useState("");
  const [topK, setTopK] = useState(5);
  const [submitted, setSubmitted] = useState<{ query: string; topK: number } | null>(null);
  const search = useQuery({
    queryKey: ["search", submitted],
    queryFn: () => api.search({ query: submitted!.query, top_k: submitted!.topK }),
    enabled: submitted !== null,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) setSubmitted({ query: draft.trim(), topK });
  };

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} role="search" className="flex flex-wrap gap-2">
        <label className="sr-only" htmlFor="query">
          Search query
        </label>
        <input
          id="query"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Ask in your own words…"
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <label className="flex items-center gap-1 text-sm text-slate-600 dark:text-slate-400">
          Top
          <select
            value={topK}
            onChange={(e) => setTopK(Number(e.target.value))}
            className="rounded-md border border-slate-300 bg-white px-2 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            {[3, 5, 10, 20].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 dark:bg-slate-100 dark:text-slate-900"
        >
          Search
        </button>
      </form>
      <SearchResults state={search} submitted={submitted !== null} />
    </div>
  );
}

function SearchResults({
  state,
  submitted,
}: {
  state: ReturnType<typeof useQuery<Awaited<ReturnType<typeof api.search>>>>;
  submitted: boolean;
}) {
  if (!submitted) {
    return <p className="text-sm text-slate-500">Results appear here, best match first, with their similarity.</p>;
  }
  if (state.isPending) return <p className="text-sm text-slate-500">Searching…</p>;
  if (state.isError) return <p className="text-sm text-red-600 dark:text-red-400">{state.error.message}</p>;
  if (state.data.results.length === 0) {
    return <p className="text-sm text-slate-500">Nothing stored yet to search.</p>;
  }
  return (
    <ol className="flex flex-col gap-3" aria-label="Search results">
      {state.data.results.map((result, rank) => (
        <li
          key={result.chunk_id}
          className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="mb-2 flex items-center justify-between gap-3">
            <Link
              href={`/documents/${result.document_id}?chunk=${result.chunk_id}#chunk-${result.chunk_id}`}
              className="min-w-0 truncate text-xs font-medium text-slate-500 hover:text-indigo-600 hover:underline"
            >
              #{rank + 1} · {result.document_title}
              {describeLocation(result.location) && <> · {describeLocation(result.location)}</>}
            </Link>
            <Similarity value={result.similarity} />
          </div>
          <p className="whitespace-pre-line text-sm leading-relaxed">{result.content}</p>
        </li>
      ))}
    </ol>
  );
}

function Similarity({ value }: { value: number }) {
  const percent = Math.max(0, Math.min(1, value)) * 100;
  return (
    <div className="flex shrink-0 items-center gap-2" title="Cosine similarity">
      <div className="h-1.5 w-20 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden>
        <div className="h-full rounded-full bg-indigo-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="font-mono text-xs tabular-nums" data-testid="similarity">
        {value.toFixed(3)}
      </span>
    </div>
  );
}
