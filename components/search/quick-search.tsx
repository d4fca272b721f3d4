"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

/** The home page's search box: it opens the search page with the query. */
export function QuickSearch() {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (query.trim()) router.push(`/search?q=${encodeURIComponent(query.trim())}`);
  };
  return (
    <form onSubmit={submit} role="search" className="flex flex-wrap gap-2">
      <label className="sr-only" htmlFor="quick-query">
        Search query
      </label>
      <input
        id="quick-query"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Ask in your own words…"
        className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <button
        type="submit"
        className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 dark:bg-slate-100 dark:text-slate-900"
      >
        Search
      </button>
    </form>
  );
}
