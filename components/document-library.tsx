"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useEffect, useRef, useState } from "react";
import type { DocumentSummaryJson } from "@/lib/api/schemas";
import { documentStatuses } from "@/lib/documents/status";
import { documentOrders, type DocumentOrder } from "@/lib/documents/order";
import { MAX_TITLE_CHARS } from "@/lib/ingest/title";
import { api, type DocumentFilter } from "./api-client";
import { useLiveDocument } from "./document-events";
import { DocumentStatus } from "./document-status";
import { describeBytes } from "@/lib/byte-size";
import { formatLabels } from "@/lib/ingest/file-types";
import { ConfirmDelete } from "./ui/confirm-delete";
import { InlineRename } from "./ui/inline-rename";
import { PencilIcon, TrashIcon } from "./ui/icons";

const selectClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
const iconButtonClass =
  "rounded p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-50 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100";

const PAGE_SIZE = 50;

const orderLabels: Record<DocumentOrder, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  title: "Title A–Z",
  largest: "Largest first",
};

const nameOf = (document: DocumentSummaryJson) => document.title || document.filename || `Document ${document.id}`;

function useRefreshLibrary() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ["documents"] }),
      queryClient.invalidateQueries({ queryKey: ["search"] }),
    ]);
}

export function DocumentLibrary() {
  const [filter, setFilter] = useState<DocumentFilter>({});
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const deferred = useDeferredValue(filter);
  const documents = useQuery({
    queryKey: ["documents", deferred, page],
    queryFn: () => api.listDocuments(deferred, { limit: PAGE_SIZE, offset: page * PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  // A selection is of what is on screen: another filter or page starts afresh.
  const changeFilter = (change: DocumentFilter) => {
    setFilter({ ...filter, ...change });
    setPage(0);
    setSelected(new Set());
  };
  const turnPage = (to: number) => {
    setPage(to);
    setSelected(new Set());
  };

  const shown = documents.data?.documents ?? [];
  const total = documents.data?.total ?? 0;
  // Documents deleted elsewhere (another tab, the API) drop out of the selection.
  const chosen = shown.filter((document) => selected.has(document.id));
  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Filter and sort documents">
        <input
          type="search"
          value={filter.q ?? ""}
          onChange={(e) => changeFilter({ q: e.target.value })}
          placeholder="Filter by title or file name"
          aria-label="Filter by title or file name"
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm sm:w-auto sm:min-w-0 sm:flex-1 dark:border-slate-700 dark:bg-slate-900"
        />
        <select aria-label="Status" value={filter.status ?? ""} onChange={(e) => changeFilter({ status: e.target.value })} className={selectClass}>
          <option value="">Any status</option>
          {documentStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Type" value={filter.format ?? ""} onChange={(e) => changeFilter({ format: e.target.value })} className={selectClass}>
          <option value="">Any type</option>
          {Object.entries(formatLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <select aria-label="Sort" value={filter.sort ?? documentOrders[0]} onChange={(e) => changeFilter({ sort: e.target.value })} className={selectClass}>
          {documentOrders.map((order) => (
            <option key={order} value={order}>
              {orderLabels[order]}
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
      ) : shown.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {filter.q || filter.status || filter.format ? "No documents match." : "No documents yet. Upload some files to start."}
        </p>
      ) : (
        <>
          {/* With a selection, the row becomes its toolbar: the page's box, the count and what can be done. */}
          <div
            role={chosen.length > 0 ? "toolbar" : undefined}
            aria-label={chosen.length > 0 ? "Selected documents" : undefined}
            className="flex min-h-9 flex-wrap items-center gap-x-3 gap-y-2"
          >
            <span className="flex items-center gap-2">
              <SelectAll shown={shown} chosen={chosen.length} onChange={(all) => setSelected(new Set(all ? shown.map((d) => d.id) : []))} />
              {chosen.length > 0 ? (
                <span className="text-sm font-medium">{chosen.length} selected</span>
              ) : (
                <span className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">
                  {total} {total === 1 ? "document" : "documents"}
                </span>
              )}
            </span>
            {chosen.length > 0 && <SelectionActions chosen={chosen} onDone={() => setSelected(new Set())} />}
          </div>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Documents">
            {shown.map((document) => (
              <LibraryRow key={document.id} document={document} selected={selected.has(document.id)} onToggle={() => toggle(document.id)} />
            ))}
          </ul>
          {total > PAGE_SIZE && (
            <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
              <button type="button" onClick={() => turnPage(page - 1)} disabled={page === 0} className="rounded-md border border-slate-300 px-3 py-1.5 disabled:opacity-40 dark:border-slate-700">
                Previous
              </button>
              <span className="tabular-nums text-slate-600 dark:text-slate-400">
                {page * PAGE_SIZE + 1}–{page * PAGE_SIZE + shown.length} of {total}
              </span>
              <button
                type="button"
                onClick={() => turnPage(page + 1)}
                disabled={(page + 1) * PAGE_SIZE >= total}
                className="rounded-md border border-slate-300 px-3 py-1.5 disabled:opacity-40 dark:border-slate-700"
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}

/** One box for the whole page: ticked when all are chosen, half-ticked when some are. */
function SelectAll({ shown, chosen, onChange }: { shown: DocumentSummaryJson[]; chosen: number; onChange: (all: boolean) => void }) {
  const box = useRef<HTMLInputElement>(null);
  const all = chosen === shown.length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = chosen > 0 && !all;
  }, [chosen, all]);
  return (
    <label className="flex items-center gap-2 text-sm">
      <input ref={box} type="checkbox" checked={all} onChange={() => onChange(!all)} className="size-4 accent-indigo-600" />
      <span className="sr-only">Select all documents on this page</span>
    </label>
  );
}

/** What can be done with several documents at once: ask about them, or delete them. */
function SelectionActions({ chosen, onDone }: { chosen: DocumentSummaryJson[]; onDone: () => void }) {
  const refresh = useRefreshLibrary();
  const remove = useMutation({
    mutationFn: () => api.deleteDocuments(chosen.map((document) => document.id)),
    onSuccess: onDone,
    onSettled: refresh,
  });
  const count = `${chosen.length} ${chosen.length === 1 ? "document" : "documents"}`;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <Link
        href={`/chat?documents=${chosen.map((document) => document.id).join(",")}`}
        className="rounded-md bg-indigo-600 px-3 py-1 font-medium text-white hover:bg-indigo-700 dark:bg-indigo-500 dark:hover:bg-indigo-400 dark:text-slate-950"
      >
        Ask about these
      </Link>
      <ConfirmDelete
        what={count}
        consequence="Their files, text, chunks and vectors are removed, and answers stop citing them."
        onConfirm={() => remove.mutate()}
        disabled={remove.isPending}
      >
        <button type="button" className="rounded-md border border-red-300 px-3 py-1 text-red-700 hover:bg-red-50 disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950">
          Delete…
        </button>
      </ConfirmDelete>
      <button type="button" onClick={onDone} className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800">
        Clear selection
      </button>
      {remove.isError && (
        <span role="alert" className="text-red-700 dark:text-red-400">
          {remove.error.message}
        </span>
      )}
    </div>
  );
}

function LibraryRow({ document: fetched, selected, onToggle }: { document: DocumentSummaryJson; selected: boolean; onToggle: () => void }) {
  const refresh = useRefreshLibrary();
  const document = useLiveDocument(fetched);
  const [renaming, setRenaming] = useState(false);
  const remove = useMutation({ mutationFn: () => api.deleteDocument(document.id), onSettled: refresh });
  const retry = useMutation({ mutationFn: () => api.retryDocument(document.id), onSettled: refresh });
  const name = nameOf(document);

  return (
    <li className={`flex items-start gap-3 py-2 ${selected ? "bg-indigo-50/60 dark:bg-indigo-950/40" : ""}`}>
      <input type="checkbox" checked={selected} onChange={onToggle} aria-label={`Select ${name}`} className="mt-1 size-4 shrink-0 accent-indigo-600" />
      <div className="flex min-w-0 flex-1 flex-col gap-1 sm:flex-row sm:items-center sm:justify-between sm:gap-3">
        <div className="min-w-0">
          {renaming ? (
            <InlineRename
              label="Document title"
              initial={name}
              maxLength={MAX_TITLE_CHARS}
              save={async (title) => {
                await api.renameDocument(document.id, title);
                await refresh();
              }}
              onDone={() => setRenaming(false)}
            />
          ) : (
            <Link href={`/documents/${document.id}`} className="block truncate text-sm font-medium hover:text-indigo-600 hover:underline dark:hover:text-indigo-400">
              {name}
            </Link>
          )}
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {formatLabels[document.format]} · {describeBytes(document.size_bytes)} · {document.chunk_count}{" "}
            {document.chunk_count === 1 ? "chunk" : "chunks"} · {new Date(document.created_at).toLocaleString()}
          </p>
          {document.status === "failed" && document.error && <p className="text-xs text-red-700 dark:text-red-400">{document.error}</p>}
        </div>
        <div className="flex shrink-0 items-center gap-1">
          <DocumentStatus document={document} />
          {document.status === "failed" && (
            <button
              type="button"
              onClick={() => retry.mutate()}
              disabled={retry.isPending}
              aria-label={`Retry ${name}`}
              className="rounded-md px-2 py-1 text-xs text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
            >
              Retry
            </button>
          )}
          <button type="button" onClick={() => setRenaming(true)} aria-label={`Rename ${name}`} title="Rename" className={iconButtonClass}>
            <PencilIcon />
          </button>
          <ConfirmDelete
            what={`“${name}”`}
            consequence="Its file, text, chunks and vectors are removed, and answers stop citing it."
            onConfirm={() => remove.mutate()}
            disabled={remove.isPending}
          >
            <button type="button" aria-label={`Delete ${name}`} title="Delete" className={`${iconButtonClass} hover:bg-red-50 hover:text-red-700 dark:hover:bg-red-950 dark:hover:text-red-400`}>
              <TrashIcon />
            </button>
          </ConfirmDelete>
        </div>
      </div>
    </li>
  );
}
