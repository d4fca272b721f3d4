"use client";

import { useState, type ReactNode } from "react";
import type { DocumentSummaryJson, SearchModeJson } from "@/lib/api/schemas";
import { formatLabels } from "@/lib/ingest/file-types";

export interface SearchControlValues {
  mode: SearchModeJson;
  topK: number;
  /** As typed: empty means no threshold. */
  minScore: string;
  documentId: string;
  format: string;
  /** yyyy-mm-dd, local days. */
  from: string;
  to: string;
}

const modeLabels: Record<SearchModeJson, { label: string; hint: string }> = {
  hybrid: { label: "Hybrid", hint: "Meaning and exact words, fused" },
  semantic: { label: "Semantic", hint: "By meaning (cosine similarity)" },
  keyword: { label: "Keyword", hint: "By exact words (BM25)" },
};

const minScoreLabels: Record<SearchModeJson, string> = {
  hybrid: "Min. score (0–1)",
  semantic: "Min. similarity (0–1)",
  keyword: "Min. BM25 score",
};

const fieldClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function SearchControls({
  values,
  onChange,
  documents,
}: {
  values: SearchControlValues;
  onChange: (values: SearchControlValues) => void;
  documents: DocumentSummaryJson[];
}) {
  const set = <K extends keyof SearchControlValues>(key: K, value: SearchControlValues[K]) =>
    onChange({ ...values, [key]: value });
  const [filtersOpen, setFiltersOpen] = useState(false);
  const activeFilters = [values.minScore, values.documentId, values.format, values.from, values.to].filter(Boolean).length;
  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="sr-only">Search mode</legend>
        {(Object.keys(modeLabels) as SearchModeJson[]).map((mode) => (
          <label
            key={mode}
            title={modeLabels[mode].hint}
            className="cursor-pointer rounded-full border border-slate-300 px-3 py-1 text-sm has-checked:border-indigo-600 has-checked:bg-indigo-600 has-checked:text-white has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-indigo-500 dark:border-slate-700"
          >
            <input
              type="radio"
              name="mode"
              value={mode}
              checked={values.mode === mode}
              onChange={() => set("mode", mode)}
              className="sr-only"
            />
            {modeLabels[mode].label}
          </label>
        ))}
        <span className="text-xs text-slate-600 dark:text-slate-400">{modeLabels[values.mode].hint}</span>
      </fieldset>
      {/* On a phone the filters filled the first screen: they wait behind a button there. */}
      <button
        type="button"
        aria-expanded={filtersOpen}
        aria-controls="search-filters"
        onClick={() => setFiltersOpen(!filtersOpen)}
        className="self-start rounded-lg border border-slate-300 px-3 py-1.5 text-sm sm:hidden dark:border-slate-700"
      >
        Filters{activeFilters > 0 && ` (${activeFilters})`}
      </button>
      <div id="search-filters" className={`${filtersOpen ? "flex" : "hidden"} flex-wrap items-end gap-3 text-sm sm:flex`}>
        <Field label="Results">
          <select value={values.topK} onChange={(e) => set("topK", Number(e.target.value))} className={fieldClass}>
            {[5, 10, 20, 50].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field label={minScoreLabels[values.mode]}>
          <input
            type="number"
            inputMode="decimal"
            step={values.mode === "keyword" ? 0.5 : 0.05}
            min={0}
            value={values.minScore}
            onChange={(e) => set("minScore", e.target.value)}
            placeholder="none"
            className={`${fieldClass} w-28`}
          />
        </Field>
        <Field label="Document" className="min-w-0">
          <select value={values.documentId} onChange={(e) => set("documentId", e.target.value)} className={`${fieldClass} max-w-56`}>
            <option value="">All documents</option>
            {documents.map((doc) => (
              <option key={doc.id} value={doc.id}>
                {doc.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label="File type">
          <select value={values.format} onChange={(e) => set("format", e.target.value)} className={fieldClass}>
            <option value="">All types</option>
            {Object.entries(formatLabels).map(([format, label]) => (
              <option key={format} value={format}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Added from">
          <input type="date" value={values.from} onChange={(e) => set("from", e.target.value)} className={fieldClass} />
        </Field>
        <Field label="Added until">
          <input type="date" value={values.to} onChange={(e) => set("to", e.target.value)} className={fieldClass} />
        </Field>
      </div>
    </div>
  );
}

/** A labelled control: the label reads above the field and names it for assistive technology. */
function Field({ label, className = "", children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <label className={`flex flex-col gap-1 ${className}`}>
      <span className="text-xs text-slate-600 dark:text-slate-400">{label}</span>
      {children}
    </label>
  );
}
