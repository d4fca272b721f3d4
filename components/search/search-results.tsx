"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { SearchModeJson, SearchResponse, SearchResultJson } from "@/lib/api/schemas";
import { describeLocation } from "@/lib/documents/location";
import { formatLabels } from "@/lib/ingest/file-types";
import { ChunkText } from "../chunk-text";
import { Clamped } from "../ui/clamped";
import { ScoreBar } from "./score-bar";

const scoreLabels: Record<SearchModeJson, string> = {
  hybrid: "Fused score: 1 would be first in both rankings",
  semantic: "Cosine similarity",
  keyword: "BM25 score, bar relative to the best result",
};

export function SearchResults({
  query,
  mode,
  state,
  libraryEmpty,
  filtered,
  thresholded,
  onClearFilters,
}: {
  query: string;
  mode: SearchModeJson;
  state: UseQueryResult<SearchResponse>;
  libraryEmpty: boolean;
  filtered: boolean;
  thresholded: boolean;
  onClearFilters: () => void;
}) {
  const [grouped, setGrouped] = useState(false);
  if (libraryEmpty) {
    return (
      <Notice>
        Nothing to search yet.{" "}
        <Link href="/" className="text-indigo-700 underline dark:text-indigo-400">
          Add documents
        </Link>{" "}
        and they become searchable as soon as they are ready.
      </Notice>
    );
  }
  if (!query) {
    return (
      <Notice>
        Type to search. <strong>Hybrid</strong> finds passages that mean what you ask and passages with your exact
        words; <strong>Semantic</strong> and <strong>Keyword</strong> show each on its own.
      </Notice>
    );
  }
  if (state.isError) {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
        <span>Search failed: {state.error.message}</span>
        <button type="button" onClick={() => void state.refetch()} className="rounded-md border border-red-300 px-3 py-1 font-medium hover:bg-red-100 dark:border-red-800 dark:hover:bg-red-900">
          Try again
        </button>
      </div>
    );
  }
  if (!state.data) return <Notice>Searching…</Notice>;

  const { results } = state.data;
  const stale = state.isPlaceholderData;
  if (results.length === 0) {
    return (
      <div className={stale ? "opacity-60" : undefined}>
        <Notice>
          No passages match “{query}”.{" "}
          {thresholded || filtered ? (
            <button type="button" onClick={onClearFilters} className="text-indigo-600 hover:underline dark:text-indigo-400">
              Clear the filters and minimum score
            </button>
          ) : mode === "keyword" ? (
            "Keyword search needs the exact words (or their stems): try Hybrid or Semantic."
          ) : (
            "Try other words."
          )}
        </Notice>
      </div>
    );
  }
  const scale = state.data.mode === "keyword" ? Math.max(...results.map((r) => r.score)) : 1;
  const closest = bestSimilarity(results);
  return (
    <div aria-busy={state.isFetching} className={stale ? "opacity-60 transition-opacity" : "transition-opacity"}>
      {closest !== undefined && closest < WEAK_SIMILARITY && (
        <p role="status" className="mb-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Nothing in the library matches “{query}” closely (best similarity {closest.toFixed(2)}). These are the nearest
          passages, but the documents may not cover it.
        </p>
      )}
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {results.length} {results.length === 1 ? "passage" : "passages"} · {state.data.mode} · model {state.data.model}
        </p>
        <label className="flex items-center gap-1.5 text-xs text-slate-700 dark:text-slate-300">
          <input type="checkbox" checked={grouped} onChange={(event) => setGrouped(event.target.checked)} className="accent-indigo-600" />
          Group by document
        </label>
      </div>
      {grouped ? (
        <ol className="flex flex-col gap-5" aria-label="Search results by document">
          {byDocument(results).map(({ title, hits }) => (
            <li key={hits[0]!.result.document_id} className="flex flex-col gap-2">
              <h3 className="text-sm font-semibold">
                {title} <span className="font-normal text-slate-600 dark:text-slate-400">· {hits.length} {hits.length === 1 ? "passage" : "passages"}</span>
              </h3>
              <ol className="flex flex-col gap-3 border-l-2 border-slate-200 pl-3 dark:border-slate-800" aria-label={`Passages from ${title}`}>
                {hits.map(({ result, rank }) => (
                  <Result key={result.chunk_id} result={result} rank={rank} scale={scale} label={scoreLabels[state.data.mode]} />
                ))}
              </ol>
            </li>
          ))}
        </ol>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Search results">
          {results.map((result, rank) => (
            <Result key={result.chunk_id} result={result} rank={rank + 1} scale={scale} label={scoreLabels[state.data.mode]} />
          ))}
        </ol>
      )}
    </div>
  );
}

function Result({ result, rank, scale, label }: { result: SearchResultJson; rank: number; scale: number; label: string }) {
  const location = describeLocation(result.location, result.document_title);
  const { semantic, keyword } = result.components;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="mb-2 flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <Link
            href={`/documents/${result.document_id}?chunk=${result.chunk_id}#chunk-${result.chunk_id}`}
            className="block truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            <span className="text-slate-600 dark:text-slate-400">#{rank}</span> {result.document_title}
          </Link>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {formatLabels[result.document_format]}
            {location && <> · {location}</>} · chunk {result.ordinal + 1}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <ScoreBar score={result.score} scale={scale} label={label} />
          {result.mode === "hybrid" && (
            <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="components">
              {semantic ? `semantic #${semantic.rank}` : "semantic –"} · {keyword ? `keyword #${keyword.rank}` : "keyword –"}
            </p>
          )}
        </div>
      </div>
      <Clamped label={`result ${rank}`}>
        <ChunkText text={result.content} code={result.code} highlights={result.highlights} className="text-sm leading-relaxed" />
      </Clamped>
    </li>
  );
}

/**
 * Below this cosine similarity the nearest passage is seldom about the query
 * with the built-in model (a library of manuals answered "parental leave
 * policy" at 0.157; passages that answer a question score 0.4 and up).
 */
const WEAK_SIMILARITY = 0.3;

/** The best semantic similarity among the results; undefined for keyword search, which only finds the words asked for. */
function bestSimilarity(results: SearchResultJson[]): number | undefined {
  const scores = results.flatMap((result) => (result.components.semantic ? [result.components.semantic.score] : []));
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

/** The hits under their documents, documents in the order of their best hit, each hit keeping its overall rank. */
function byDocument(results: SearchResultJson[]) {
  const groups = new Map<number, { title: string; hits: { result: SearchResultJson; rank: number }[] }>();
  results.forEach((result, i) => {
    const group = groups.get(result.document_id) ?? { title: result.document_title, hits: [] };
    group.hits.push({ result, rank: i + 1 });
    groups.set(result.document_id, group);
  });
  return [...groups.values()];
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
      {children}
    </p>
  );
}
