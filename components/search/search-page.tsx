"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { SearchModeJson, SearchRequest } from "@/lib/api/schemas";
import { api } from "../api-client";
import { SearchControls, type SearchControlValues } from "./search-controls";
import { SearchResults } from "./search-results";

/** Long enough that a word is finished, short enough to feel live. */
const TYPING_PAUSE_MS = 250;

const modes: SearchModeJson[] = ["hybrid", "semantic", "keyword"];

function fromUrl(params: Pick<URLSearchParams, "get">): SearchControlValues & { query: string } {
  const mode = params.get("mode") as SearchModeJson | null;
  return {
    query: params.get("q") ?? "",
    mode: mode && modes.includes(mode) ? mode : "hybrid",
    topK: Number(params.get("k")) || 10,
    minScore: params.get("min") ?? "",
    documentId: params.get("doc") ?? "",
    format: params.get("type") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
}

/**
 * Search as you type: the query settles for a moment before it is sent, every
 * setting lives in the URL (so a search can be shared or reloaded), and React
 * Query keys each answer by the exact request, so an older answer arriving late
 * can never replace the newer one on screen.
 */
export function SearchPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  // The URL seeds the page once; from then on the page writes the URL, not the other way round.
  const [initial] = useState(() => fromUrl(params));
  const [draft, setDraft] = useState(initial.query);
  const [query, setQuery] = useState(initial.query);
  const [controls, setControls] = useState<SearchControlValues>(initial);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(draft.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  useEffect(() => {
    const next = new URLSearchParams();
    if (query) next.set("q", query);
    if (controls.mode !== "hybrid") next.set("mode", controls.mode);
    if (controls.topK !== 10) next.set("k", String(controls.topK));
    if (controls.minScore) next.set("min", controls.minScore);
    if (controls.documentId) next.set("doc", controls.documentId);
    if (controls.format) next.set("type", controls.format);
    if (controls.from) next.set("from", controls.from);
    if (controls.to) next.set("to", controls.to);
    const search = next.toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  }, [query, controls, router, pathname]);

  const request = useMemo(() => buildRequest(query, controls), [query, controls]);
  const results = useQuery({
    queryKey: ["search", request],
    queryFn: ({ signal }) => api.search(request!, signal),
    enabled: request !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const library = useQuery({
    queryKey: ["documents", { status: "ready" }],
    queryFn: () => api.listDocuments({ status: "ready" }),
  });

  return (
    <div className="flex flex-col gap-5">
      <div role="search" className="flex flex-col gap-3">
        <label htmlFor="search-query" className="sr-only">
          Search query
        </label>
        <input
          id="search-query"
          type="search"
          autoFocus
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") setQuery(draft.trim());
          }}
          placeholder="Search your documents: a question, a phrase, exact words…"
          className="w-full rounded-lg border border-slate-300 bg-white px-4 py-3 text-base shadow-sm focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:bg-slate-900"
        />
        <SearchControls values={controls} onChange={setControls} documents={library.data?.documents ?? []} />
      </div>
      <SearchResults
        query={query}
        mode={controls.mode}
        state={results}
        libraryEmpty={library.data !== undefined && library.data.total === 0}
        filtered={Boolean(controls.documentId || controls.format || controls.from || controls.to)}
        thresholded={controls.minScore !== ""}
        onClearFilters={() => setControls({ ...controls, documentId: "", format: "", from: "", to: "", minScore: "" })}
      />
    </div>
  );
}

function buildRequest(query: string, controls: SearchControlValues): SearchRequest | undefined {
  if (!query) return undefined;
  const minScore = Number(controls.minScore);
  const filters: NonNullable<SearchRequest["filters"]> = {
    ...(controls.documentId && { document_ids: [Number(controls.documentId)] }),
    ...(controls.format && { formats: [controls.format as "text"] }),
    // Dates are the person's local days: from the start of `from` to the end of `to`.
    ...(controls.from && { created_after: new Date(`${controls.from}T00:00`).toISOString() }),
    ...(controls.to && { created_before: new Date(new Date(`${controls.to}T00:00`).getTime() + 86_400_000).toISOString() }),
  };
  return {
    query,
    mode: controls.mode,
    top_k: controls.topK,
    ...(controls.minScore !== "" && Number.isFinite(minScore) && { min_score: minScore }),
    ...(Object.keys(filters).length > 0 && { filters }),
  };
}

