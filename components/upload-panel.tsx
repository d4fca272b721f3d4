"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { DocumentSummaryJson } from "@/lib/api/schemas";
import { fileInputAccept } from "@/lib/ingest/file-types";
import { api } from "./api-client";
import { useFreshDocuments } from "./document-events";
import { DocumentStatus, ProgressBar, documentProgress } from "./document-status";
import { describeBytes } from "@/lib/byte-size";

interface UploadItem {
  key: string;
  file: File;
  /** Fraction of the bytes sent; the server's states follow once it has them. */
  sent: number;
  document?: DocumentSummaryJson;
  duplicate?: boolean;
  error?: string;
}

export function UploadPanel() {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const fresh = useFreshDocuments();
  const views = items.map((item) => rowView(item, fresh(item.document)));

  const update = useCallback(
    (key: string, change: Partial<UploadItem>) =>
      setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item))),
    [],
  );

  const start = useCallback((files: FileList | File[]) => {
    const added = [...files].map((file, i) => ({ key: `${Date.now()}-${i}-${file.name}`, file, sent: 0 }));
    setItems((current) => [...added, ...current]);
    setStartedAt((at) => at ?? Date.now());
    for (const item of added) {
      api
        .uploadFile(item.file, (sent) => update(item.key, { sent }))
        .then((result) => {
          if ("error" in result) update(item.key, { sent: 1, error: result.error.message });
          else update(item.key, { sent: 1, document: result.document, duplicate: result.duplicate });
          void queryClient.invalidateQueries({ queryKey: ["documents"] });
        })
        .catch((error: Error) => update(item.key, { error: error.message }));
    }
  }, [queryClient, update]);

  // Files dropped anywhere on the page (the box included) are uploaded, not opened by the browser in place of the app.
  useEffect(() => {
    const hasFiles = (event: globalThis.DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;
    const over = (event: globalThis.DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(true);
    };
    const leave = (event: globalThis.DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const drop = (event: globalThis.DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      if (event.dataTransfer!.files.length > 0) start(event.dataTransfer!.files);
    };
    window.addEventListener("dragover", over);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("drop", drop);
    };
  }, [start]);

  return (
    <div className="flex flex-col gap-4">
      <div
        data-testid="dropzone"
        className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-4 py-8 text-center transition-colors ${
          dragging
            ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950"
            : "border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900"
        }`}
      >
        <p className="text-sm font-medium">Drop files here</p>
        <p className="text-xs text-slate-600 dark:text-slate-400">PDF, Word, HTML, Markdown, CSV, JSON or text</p>
        <button
          type="button"
          onClick={() => input.current?.click()}
          className="mt-1 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Choose files
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept={fileInputAccept}
          className="sr-only"
          // "Choose files" opens it: a second tab stop would land on nothing visible.
          tabIndex={-1}
          aria-label="Files to upload"
          onChange={(event) => {
            if (event.target.files?.length) start(event.target.files);
            event.target.value = "";
          }}
        />
      </div>
      {items.length > 0 && <UploadSummary rows={views} startedAt={startedAt} />}
      {items.length > 0 && (
        <ul className="flex flex-col gap-2" aria-label="Uploads">
          {items.map((item, i) => (
            <UploadRow key={item.key} item={item} view={views[i]!} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** Where one file stands, from what was sent and the live state of its document. */
interface RowView {
  document?: DocumentSummaryJson;
  /** For the row's bar, which follows the stage its text names: sending the bytes, then reading and embedding them. */
  progress: number;
  /** For the summary, where sending is the first tenth of the way. */
  overall: number;
  error?: string | null;
  outcome: "working" | "ready" | "failed";
}

function rowView(item: UploadItem, document: DocumentSummaryJson | undefined): RowView {
  const progress = document ? documentProgress(document) : item.error ? 1 : item.sent;
  const error = item.error ?? (document?.status === "failed" ? document.error : undefined);
  return {
    document,
    progress,
    overall: document ? 0.1 + 0.9 * progress : progress * 0.1,
    error,
    outcome: error ? "failed" : document?.status === "ready" ? "ready" : "working",
  };
}

/**
 * All the files at once: how many are ready, roughly how long the rest will
 * take (from the pace so far), and once any is ready, a way to ask about them.
 */
function UploadSummary({ rows, startedAt }: { rows: RowView[]; startedAt: number | null }) {
  const [now, setNow] = useState(() => Date.now());
  const working = rows.some((row) => row.outcome === "working");
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [working]);
  const ready = rows.filter((row) => row.outcome === "ready");
  const failed = rows.filter((row) => row.outcome === "failed").length;
  const done = rows.reduce((sum, row) => sum + row.overall, 0) / rows.length;
  const elapsed = startedAt === null ? 0 : (now - startedAt) / 1000;
  // After a few seconds and some progress, the pace so far says how long the rest takes.
  const left = working && done > 0.05 && elapsed > 3 ? (elapsed * (1 - done)) / done : null;
  const ids = [...new Set(ready.flatMap((row) => (row.document ? [row.document.id] : [])))];
  return (
    <div className="flex flex-col gap-2 rounded-lg bg-slate-50 p-3 dark:bg-slate-900" data-testid="upload-summary">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium" role="status">
          {ready.length} of {rows.length} ready
          {failed > 0 && <span className="text-red-700 dark:text-red-400"> · {failed} failed</span>}
          {left !== null && <span className="font-normal text-slate-600 dark:text-slate-400"> · about {describeDuration(left)} left</span>}
        </p>
        {ids.length > 0 && (
          <Link
            href={`/chat?documents=${ids.join(",")}`}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700"
          >
            Ask about {ids.length === 1 ? "this file" : `these ${ids.length} files`}
          </Link>
        )}
      </div>
      <ProgressBar value={done} label="Progress of all uploads" />
    </div>
  );
}

function describeDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(5, Math.ceil(seconds / 5) * 5)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

function UploadRow({ item, view: { document, progress, error } }: { item: UploadItem; view: RowView }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api.retryDocument(document!.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["documents"] }),
  });

  return (
    <li className="rounded-md border border-slate-200 p-3 dark:border-slate-800" data-testid="upload-row">
      <div className="mb-2 flex items-center justify-between gap-3">
        <p className="min-w-0 truncate text-sm font-medium" title={item.file.name}>
          {document?.status === "ready" ? (
            <Link href={`/documents/${document.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {item.file.name}
            </Link>
          ) : (
            item.file.name
          )}{" "}
          <span className="font-normal text-slate-600 dark:text-slate-400">· {describeBytes(item.file.size)}</span>
        </p>
        {document ? (
          <DocumentStatus document={document} />
        ) : (
          !item.error && <span className="text-xs text-slate-600 dark:text-slate-400">sending {Math.round(item.sent * 100)}%</span>
        )}
      </div>
      {!item.error && <ProgressBar value={progress} label={`Progress of ${item.file.name}`} />}
      {item.duplicate && document?.status === "ready" && (
        <p className="mt-1 text-xs text-amber-700 dark:text-amber-400">Already in the library; nothing new was stored.</p>
      )}
      {error && (
        <div className="mt-1 flex items-start justify-between gap-2">
          <p role="alert" className="text-xs text-red-700 dark:text-red-400">
            {error}
          </p>
          {document?.status === "failed" && (
            <button
              type="button"
              onClick={() => retry.mutate()}
              disabled={retry.isPending}
              className="shrink-0 rounded px-2 py-0.5 text-xs font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
            >
              Retry
            </button>
          )}
        </div>
      )}
    </li>
  );
}
