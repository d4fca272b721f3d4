"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api-client";

export function DocumentList() {
  const queryClient = useQueryClient();
  const documents = useQuery({ queryKey: ["documents"], queryFn: api.listDocuments });
  const remove = useMutation({
    mutationFn: api.deleteDocument,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["documents"] }),
        queryClient.invalidateQueries({ queryKey: ["search"] }),
      ]),
  });

  if (documents.isPending) return <p className="text-sm text-slate-500">Loading documents…</p>;
  if (documents.isError) {
    return <p className="text-sm text-red-600 dark:text-red-400">{documents.error.message}</p>;
  }
  if (documents.data.documents.length === 0) {
    return <p className="text-sm text-slate-500">No documents yet. Paste some text above to start.</p>;
  }
  return (
    <div>
      <p className="mb-2 text-xs uppercase tracking-wide text-slate-500">
        {documents.data.total} {documents.data.total === 1 ? "document" : "documents"}
      </p>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Documents">
        {documents.data.documents.map((doc) => (
          <li key={doc.id} className="flex items-center justify-between gap-3 py-2">
            <div className="min-w-0">
              <p className="truncate text-sm font-medium">{doc.title}</p>
              <p className="text-xs text-slate-500">
                {doc.chunk_count} {doc.chunk_count === 1 ? "chunk" : "chunks"} · {doc.characters.toLocaleString()}{" "}
                characters · {new Date(doc.created_at).toLocaleString()}
              </p>
            </div>
            <button
              type="button"
              onClick={() => remove.mutate(doc.id)}
              disabled={remove.isPending && remove.variables === doc.id}
              aria-label={`Delete ${doc.title}`}
              className="shrink-0 rounded-md px-2 py-1 text-xs text-slate-500 hover:bg-red-50 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-red-600 disabled:opacity-50 dark:hover:bg-red-950"
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
