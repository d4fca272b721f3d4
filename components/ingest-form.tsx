"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "./api-client";

export function IngestForm() {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const ingest = useMutation({
    mutationFn: api.createDocument,
    onSuccess: (result) => {
      if (!result.duplicate) {
        setContent("");
        setTitle("");
      }
      return queryClient.invalidateQueries({ queryKey: ["documents"] });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    ingest.mutate({ content, title: title.trim() || undefined });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Add text">
      <label className="flex flex-col gap-1 text-sm font-medium">
        <span>
          Title <span className="font-normal text-slate-600 dark:text-slate-400">(optional)</span>
        </span>
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-normal dark:border-slate-700 dark:bg-slate-900"
          placeholder="Taken from the first line when empty"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Text
        <textarea
          value={content}
          onChange={(e) => setContent(e.target.value)}
          rows={8}
          required
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-normal leading-relaxed dark:border-slate-700 dark:bg-slate-900"
          placeholder="Paste a passage, an article, notes…"
        />
      </label>
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={ingest.isPending || content.trim() === ""}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {ingest.isPending ? "Embedding…" : "Ingest"}
        </button>
        <p role="status" className="text-sm">
          {ingest.isError && <span className="text-red-600 dark:text-red-400">{ingest.error.message}</span>}
          {ingest.isSuccess &&
            (ingest.data.duplicate ? (
              <span className="text-amber-700 dark:text-amber-400">
                Already stored as “{ingest.data.document.title}”.
              </span>
            ) : (
              <span className="text-emerald-700 dark:text-emerald-400">
                Stored “{ingest.data.document.title}” in {ingest.data.document.chunk_count}{" "}
                {ingest.data.document.chunk_count === 1 ? "chunk" : "chunks"}.
              </span>
            ))}
        </p>
      </div>
    </form>
  );
}
