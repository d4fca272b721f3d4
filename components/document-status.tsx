import type { DocumentSummaryJson } from "@/lib/api/schemas";

const styles: Record<DocumentSummaryJson["status"], string> = {
  queued: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  parsing: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  embedding: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
  ready: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

/** The state a document is in, with the embedding count while it works. */
export function DocumentStatus({ document }: { document: Pick<DocumentSummaryJson, "status" | "chunk_count" | "chunks_embedded"> }) {
  const working = document.status === "embedding" && document.chunk_count > 0;
  return (
    <span className="inline-flex items-center gap-2" data-testid="document-status" data-status={document.status}>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${styles[document.status]}`}>{document.status}</span>
      {working && (
        <span className="text-xs tabular-nums text-slate-600 dark:text-slate-400">
          {document.chunks_embedded}/{document.chunk_count}
        </span>
      )}
    </span>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
    >
      <div className="h-full rounded-full bg-indigo-500 transition-[width] duration-300" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** How far along a document is, from upload to ready, as one fraction. */
export function documentProgress(document: Pick<DocumentSummaryJson, "status" | "chunk_count" | "chunks_embedded">) {
  switch (document.status) {
    case "queued":
      return 0.05;
    case "parsing":
      return 0.1;
    case "embedding":
      return 0.1 + 0.85 * (document.chunk_count > 0 ? document.chunks_embedded / document.chunk_count : 0);
    default:
      return 1;
  }
}
