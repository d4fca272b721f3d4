"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useState } from "react";
import type { DocumentSummaryJson } from "@/lib/api/schemas";
import { api, type DocumentFilter } from "./api-client";
import { useLiveDocument } from "./document-events";
import { DocumentStatus } from "./document-status";
import { formatBytes, formatLabels } from "./format";
import { ConfirmDelete } from "./ui/confirm-delete";

const selectClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function DocumentLibrary() {
  const [filter, setFilter] = useState<DocumentFilter>({});
  const deferred = useDeferredValue(filter);
  const documents = useQuery({
    queryKey: ["documents", deferred],
    queryFn: () => api.listDocuments(deferred),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Filter documents">
        <input
          type="search"
          value={filter.q ?? ""}
          onChange={(e) => setFilter({ ...filter, q: e.target.value })}
          placeholder="Filter by title or file name"
          aria-label="Filter by title or file name"
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm sm:w-auto sm:min-w-0 sm:flex-1 dark:border-slate-700 dark:bg-slate-900"
        />
        <select
          aria-label="Status"
          value={filter.status ?? ""}
          onChange={(e) => setFilter({ ...filter, status: e.target.value })}
          className={selectClass}
        >
          <option value="">Any status</option>
          {["queued", "parsing", "embedding", "ready", "failed"].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select
          aria-label="Type"
          value={filter.format ?? ""}
          onChange={(e) => setFilter({ ...filter, format: e.target.value })}
          className={selectClass}
        >
          <option value="">Any type</option>
          {Object.entries(formatLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {documents.isPending ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Loading documents…</p>
      ) : documents.isError ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {documents.error.message}
        </p>
      ) : documents.data.documents.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {Object.values(filter).some(Boolean) ? "No documents match." : "No documents yet. Upload some files to start."}
        </p>
      ) : (
        <>
          <p className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">
            {documents.data.total} {documents.data.total === 1 ? "document" : "documents"}
          </p>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Documents">
            {documents.data.documents.map((document) => (
              <LibraryRow key={document.id} document={document} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function LibraryRow({ document: fetched }: { document: DocumentSummaryJson }) {
  const queryClient = useQueryClient();
  const document = useLiveDocument(fetched);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["documents"] }),
      queryClient.invalidateQueries({ queryKey: ["search"] }),
    ]);
  const remove = useMutation({ mutationFn: () => api.deleteDocument(document.id), onSettled: refresh });
  const retry = useMutation({ mutationFn: () => api.retryDocument(document.id), onSettled: refresh });

  return (
    <li className="flex flex-col gap-1 py-2 sm:flex-row sm:items-center sm:justify-between sm:gap-3">
      <div className="min-w-0">
        <Link
          href={`/documents/${document.id}`}
          className="block truncate text-sm font-medium hover:text-indigo-600 hover:underline dark:hover:text-indigo-400"
        >
          {document.title || document.filename || `Document ${document.id}`}
        </Link>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {formatLabels[document.format] ?? document.format} · {formatBytes(document.size_bytes)} ·{" "}
          {document.chunk_count} {document.chunk_count === 1 ? "chunk" : "chunks"} ·{" "}
          {new Date(document.created_at).toLocaleString()}
        </p>
        {document.status === "failed" && document.error && (
          <p className="text-xs text-red-700 dark:text-red-400">{document.error}</p>
        )}
      </div>
      <div className="flex shrink-0 items-center gap-2">
        <DocumentStatus document={document} />
        {document.status === "failed" && (
          <button
            type="button"
            onClick={() => retry.mutate()}
            disabled={retry.isPending}
            aria-label={`Retry ${document.title}`}
            className="rounded-md px-2 py-1 text-xs text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
          >
            Retry
          </button>
        )}
        <ConfirmDelete
            consequence="Its file, text, chunks and vectors are removed, and answers stop citing it."
            what={`“${document.title || document.filename || `Document ${document.id}`}”`} onConfirm={() => remove.mutate()} disabled={remove.isPending}>
          <button
            type="button"
            aria-label={`Delete ${document.title}`}
            className="rounded-md px-2 py-1 text-xs text-slate-600 hover:bg-red-50 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-red-600 disabled:opacity-50 dark:text-slate-400 dark:hover:bg-red-950"
          >
            Delete
          </button>
        </ConfirmDelete>
      </div>
    </li>
  );
}
