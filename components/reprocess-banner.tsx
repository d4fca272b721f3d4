"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./api-client";
import { ProgressBar } from "./document-status";

/**
 * Shown while stored documents are read again with an improved parser (after
 * an upgrade, or a change of chunk settings): search keeps serving each
 * document's old passages until its new ones are in.
 */
export function ReprocessBanner() {
  const health = useQuery({
    queryKey: ["health"],
    queryFn: api.health,
    refetchInterval: (query) => (query.state.data?.reprocess ? 3000 : 30000),
  });
  const reprocess = health.data?.reprocess;
  if (!reprocess) return null;
  const waiting = reprocess.total - reprocess.withoutFile;
  return (
    <div role="region" aria-label="Reading documents again" className="border-b border-sky-200 bg-sky-50 dark:border-sky-900 dark:bg-sky-950">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>
          Your documents are being read again with pgrag&apos;s improved parser. Search keeps using each document&apos;s
          earlier passages until its new ones are ready.
        </p>
        <div className="flex min-w-48 flex-col gap-1">
          <span className="text-xs tabular-nums">
            {reprocess.current.toLocaleString()}/{waiting.toLocaleString()} documents
          </span>
          <ProgressBar value={waiting ? reprocess.current / waiting : 0} label="Reading documents again" />
        </div>
      </div>
    </div>
  );
}
