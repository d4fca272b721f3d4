"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { api } from "./api-client";
import { useLiveDocument } from "./document-events";
import { DocumentStatus } from "./document-status";
import { ChunkText } from "./chunk-text";
import { DocumentMarkdown } from "./document-markdown";
import { describeLocation } from "@/lib/documents/location";
import { describeBytes } from "@/lib/byte-size";
import { formatLabels } from "@/lib/ingest/file-types";
import { ConfirmDelete } from "./ui/confirm-delete";

export function DocumentView({ id, highlightChunk }: { id: number; highlightChunk?: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<"chunks" | "text">("chunks");
  const query = useQuery({ queryKey: ["document", id], queryFn: () => api.getDocument(id) });
  const document = useLiveDocument(query.data?.document);
  const remove = useMutation({
    mutationFn: () => api.deleteDocument(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["documents"] });
      router.push("/documents");
    },
  });

  // The passage a citation or a search hit points to, brought into view once
  // the chunks are on screen: the browser's own jump to #chunk-N happens
  // before they load, and not at all on in-app navigation or going back.
  const chunksShown = tab === "chunks" && (query.data?.document.chunks.length ?? 0) > 0;
  useEffect(() => {
    if (highlightChunk === undefined || !chunksShown) return;
    const passage = window.document.getElementById(`chunk-${highlightChunk}`);
    passage?.scrollIntoView({ block: "center" });
    passage?.focus({ preventScroll: true });
  }, [highlightChunk, chunksShown]);

  if (query.isPending) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  if (query.isError || !document) {
    return (
      <p role="alert" className="text-sm text-red-600 dark:text-red-400">
        {query.error?.message ?? "This document does not exist."}{" "}
        <Link href="/documents" className="underline">
          Back to the library
        </Link>
      </p>
    );
  }

  return (
    <article className="flex flex-col gap-4">
      <header className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="break-words text-xl font-bold">{document.title || document.filename}</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {document.filename && <>{document.filename} · </>}
            {formatLabels[document.format]} · {describeBytes(document.size_bytes)} ·{" "}
            {document.characters > 0 ? (
              <>
                {document.chunk_count} {document.chunk_count === 1 ? "chunk" : "chunks"} · {document.characters.toLocaleString()} characters ·{" "}
              </>
            ) : (
              document.status !== "failed" && <>not stored yet · </>
            )}
            added{" "}
            {new Date(document.created_at).toLocaleString()}
          </p>
          {document.error && (
            // A failure in red; a document waiting out an outage says what it waits for, calmly.
            <p className={document.status === "failed" ? "text-sm text-red-700 dark:text-red-400" : "text-sm text-amber-800 dark:text-amber-300"}>
              {document.error}
            </p>
          )}
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <DocumentStatus document={document} />
          <ConfirmDelete
            consequence="Its file, text, chunks and vectors are removed, and answers stop citing it."
            what={`“${document.title || document.filename}”`} onConfirm={() => remove.mutate()} disabled={remove.isPending}>
            <button
              type="button"
              className="rounded-md border border-red-200 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950"
            >
              Delete
            </button>
          </ConfirmDelete>
        </div>
      </header>
      <div role="tablist" aria-label="Document view" className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {(["chunks", "text"] as const).map((name) => (
          <button
            key={name}
            role="tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${
              tab === name ? "border-indigo-600 font-semibold" : "border-transparent text-slate-600 dark:text-slate-400"
            }`}
          >
            {name === "chunks" ? `Chunks (${query.data.document.chunks.length})` : "Extracted text"}
          </button>
        ))}
      </div>
      {tab === "text" ? (
        <div className="rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900" data-testid="extracted-text">
          {query.data.document.content ? (
            <DocumentMarkdown content={query.data.document.content} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">The text appears here once the document is parsed.</p>
          )}
        </div>
      ) : query.data.document.chunks.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {document.status === "failed" ? "This document has no chunks." : "Its chunks appear here once the document is stored."}
        </p>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Chunks">
          {query.data.document.chunks.map((chunk) => {
            const where = describeLocation(chunk.location, document.title);
            return (
            <li
              key={chunk.id}
              id={`chunk-${chunk.id}`}
              tabIndex={chunk.id === highlightChunk ? -1 : undefined}
              aria-current={chunk.id === highlightChunk ? "location" : undefined}
              className={`rounded-lg border p-3 text-sm shadow-sm ${
                chunk.id === highlightChunk
                  ? "border-indigo-400 bg-indigo-50 outline-none ring-2 ring-indigo-400/60 dark:border-indigo-600 dark:bg-indigo-950"
                  : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
              }`}
            >
              <p className="mb-1 text-xs text-slate-600 dark:text-slate-400">
                #{chunk.ordinal + 1} · {chunk.token_count} tokens
                {where && <> · {where}</>}
              </p>
              <ChunkText text={chunk.content} code={chunk.code} className="leading-relaxed" />
            </li>
            );
          })}
        </ol>
      )}
    </article>
  );
}
