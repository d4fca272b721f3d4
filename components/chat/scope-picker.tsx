"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api-client";

/**
 * Which documents a conversation asks about: the whole library, or a chosen
 * few. Only ready documents can be chosen; a deleted one simply drops out.
 */
export function ScopePicker({ value, onChange }: { value: number[] | null; onChange: (ids: number[] | null) => void }) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const documents = useQuery({
    queryKey: ["documents", "ready"],
    queryFn: () => api.listDocuments({ status: "ready" }),
    enabled: open || value !== null,
  });
  const chosen = new Set(value ?? []);
  const titles = new Map(documents.data?.documents.map((d) => [d.id, d.title]));
  const label =
    value === null
      ? "All documents"
      : value.length === 1
        ? (titles.get(value[0]!) ?? "1 document")
        : `${value.length} documents`;
  const toggle = (id: number) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next.size === 0 ? null : [...next]);
  };
  const shown = documents.data?.documents.filter((d) => d.title.toLowerCase().includes(filter.trim().toLowerCase())) ?? [];

  return (
    <div className="relative text-xs">
      <button
        type="button"
        aria-expanded={open}
        aria-label={`Ask about: ${label}`}
        onClick={() => setOpen((v) => !v)}
        className="max-w-[16rem] truncate rounded-full border border-slate-300 px-3 py-1 text-slate-600 hover:bg-white dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-900"
      >
        Ask about: <span className="font-medium">{label}</span>
      </button>
      {open && (
        <div
          role="dialog"
          aria-label="Documents to ask about"
          className="absolute bottom-full left-0 z-30 mb-2 flex max-h-80 w-80 max-w-[90vw] flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <label className="flex items-center gap-2">
            <input type="radio" checked={value === null} onChange={() => onChange(null)} />
            All documents
          </label>
          <input
            type="search"
            placeholder="Filter documents…"
            aria-label="Filter documents"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
          />
          <ul className="flex flex-col gap-1 overflow-y-auto">
            {documents.isPending && <li className="text-slate-600 dark:text-slate-400">Loading documents…</li>}
            {documents.isError && <li className="text-red-600">{documents.error.message}</li>}
            {documents.data?.documents.length === 0 && <li className="text-slate-600 dark:text-slate-400">No ready documents yet.</li>}
            {shown.map((document) => (
              <li key={document.id}>
                <label className="flex items-center gap-2">
                  <input type="checkbox" checked={chosen.has(document.id)} onChange={() => toggle(document.id)} />
                  <span className="truncate">{document.title}</span>
                </label>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setOpen(false)} className="self-end rounded bg-indigo-600 px-3 py-1 text-white">
            Done
          </button>
        </div>
      )}
    </div>
  );
}
