"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type DragEvent } from "react";
import type { DocumentSummaryJson } from "@/lib/api/schemas";
import { api } from "./api-client";
import { useLiveDocument } from "./document-events";
import { DocumentStatus, ProgressBar, documentProgress } from "./document-status";
import { formatBytes } from "./format";

interface UploadItem {
  key: string;
  file: File;
  /** Fraction of the bytes sent; the server's states follow once it has them. */
  sent: number;
  document?: DocumentSummaryJson;
  duplicate?: boolean;
  error?: string;
}

const ACCEPT = ".txt,.md,.markdown,.pdf,.docx,.html,.htm,.csv,.json";

export function UploadPanel() {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);

  const update = (key: string, change: Partial<UploadItem>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const start = (files: FileList | File[]) => {
    const added = [...files].map((file, i) => ({ key: `${Date.now()}-${i}-${file.name}`, file, sent: 0 }));
    setItems((current) => [...added, ...current]);
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
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) start(event.dataTransfer.files);
  };

  return (
    <div className="flex flex-col gap-4">
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
        className={`flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed px-4 py-8 text-center transition-colors ${
          dragging
            ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950"
            : "border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900"
        }`}
      >
        <p className="text-sm font-medium">Drop files here</p>
        <p className="text-xs text-slate-500">PDF, Word, HTML, Markdown, CSV, JSON or text</p>
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
          accept={ACCEPT}
          className="sr-only"
          aria-label="Files to upload"
          onChange={(event) => {
            if (event.target.files?.length) start(event.target.files);
            event.target.value = "";
          }}
        />
      </div>
      {items.length > 0 && (
        <ul className="flex flex-col gap-2" aria-label="Uploads">
          {items.map((item) => (
            <UploadRow key={item.key} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const queryClient = useQueryClient();
  const document = useLiveDocument(item.document);
  const retry = useMutation({
    mutationFn: () => api.retryDocument(document!.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["documents"] }),
  });
  const progress = document ? documentProgress(document) : item.sent * 0.05;
  const error = item.error ?? (document?.status === "failed" ? document.error : undefined);

  return (
    <li className="rounded-md border border-slate-200 p-3 dark:border-slate-800" data-testid="upload-row">
      <div className="mb-2 flex items-center justify-between gap-3">
        <p className="min-w-0 truncate text-sm font-medium" title={item.file.name}>
          {item.file.name} <span className="font-normal text-slate-500">· {formatBytes(item.file.size)}</span>
        </p>
        {document ? (
          <DocumentStatus document={document} />
        ) : (
          !item.error && <span className="text-xs text-slate-500">uploading {Math.round(item.sent * 100)}%</span>
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
