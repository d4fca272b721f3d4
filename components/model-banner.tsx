"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api-client";
import { ProgressBar } from "./document-status";

/**
 * Shown when the stored vectors come from another embedding model than the
 * configured one: search keeps working with the old model, and one click
 * re-embeds everything in the background and switches when done.
 */
export function ModelBanner() {
  const queryClient = useQueryClient();
  const health = useQuery({
    queryKey: ["health"],
    queryFn: api.health,
    refetchInterval: (query) => (query.state.data?.reembed?.requested ? 2000 : 30000),
  });
  const start = useMutation({
    mutationFn: api.startReembed,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["health"] }),
  });
  const reembed = health.data?.reembed;
  if (!reembed) return null;

  return (
    <div role="region" aria-label="Embedding model" className="border-b border-amber-200 bg-amber-50 dark:border-amber-900 dark:bg-amber-950">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>
          Your documents were embedded with <strong>{reembed.from}</strong>, but the configured embedder is{" "}
          <strong>{reembed.to}</strong>. Search keeps using {reembed.from} until every chunk is re-embedded.
        </p>
        {reembed.requested ? (
          <div className="flex min-w-48 flex-col gap-1">
            <span className="text-xs tabular-nums">
              Re-embedding: {reembed.embedded}/{reembed.total} chunks
            </span>
            <ProgressBar value={reembed.total ? reembed.embedded / reembed.total : 0} label="Re-embedding progress" />
          </div>
        ) : (
          <button
            type="button"
            onClick={() => start.mutate()}
            disabled={start.isPending}
            className="shrink-0 rounded-md bg-amber-600 px-3 py-1.5 font-semibold text-white hover:bg-amber-500 disabled:opacity-50"
          >
            Re-embed {reembed.total - reembed.embedded} chunks
          </button>
        )}
        {start.isError && <p role="alert">{start.error.message}</p>}
      </div>
    </div>
  );
}
