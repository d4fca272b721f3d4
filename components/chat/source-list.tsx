import type { SourceJson } from "@/lib/api/schemas";
import { describeLocation } from "@/lib/documents/location";

/**
 * The passages an answer was given, as cards at a glance: the cited ones
 * first, the others searched but not cited folded after them. A card opens
 * its passage beside the chat (SourceSheet).
 */
export function SourceList({ sources, omitted, onOpen }: { sources: SourceJson[]; omitted: number; onOpen: (source: SourceJson) => void }) {
  if (sources.length === 0 && omitted === 0) return null;
  const cited = sources.filter((source) => source.cited);
  const uncited = sources.filter((source) => !source.cited);
  return (
    <section className="mt-3" aria-label="Sources">
      <h3 className="mb-2 text-xs font-medium text-slate-600 dark:text-slate-400">
        Sources ({sources.length})
        {omitted > 0 && (
          <span className="ml-2 font-normal text-amber-700 dark:text-amber-400" data-testid="omitted-sources">
            {omitted} more relevant {omitted === 1 ? "passage was" : "passages were"} left out to fit the model&apos;s context
            window (CHAT_CONTEXT_TOKENS)
          </span>
        )}
      </h3>
      <SourceCards sources={cited.length > 0 ? cited : uncited} onOpen={onOpen} />
      {cited.length > 0 && uncited.length > 0 && (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-400">
            {uncited.length} more searched, not cited
          </summary>
          <div className="mt-2">
            <SourceCards sources={uncited} onOpen={onOpen} />
          </div>
        </details>
      )}
    </section>
  );
}

function SourceCards({ sources, onOpen }: { sources: SourceJson[]; onOpen: (source: SourceJson) => void }) {
  return (
    <ol className="grid grid-cols-1 gap-2 sm:grid-cols-2">
      {sources.map((source) => {
        const where = source.location ? describeLocation(source.location, source.document_title) : "";
        return (
          <li key={source.number} data-testid="source">
            <button
              type="button"
              onClick={() => onOpen(source)}
              aria-label={`Source ${source.number}: ${source.document_title}${where ? `, ${where}` : ""}`}
              className="flex h-full w-full flex-col gap-1 rounded-lg border border-slate-200 bg-slate-50 p-2.5 text-left text-xs hover:border-indigo-300 hover:bg-indigo-50/50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-800 dark:bg-slate-950 dark:hover:border-indigo-800 dark:hover:bg-indigo-950/40"
            >
              <span className="flex min-w-0 items-center gap-1.5">
                <span className="rounded bg-indigo-100 px-1 font-mono font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">{source.number}</span>
                <span className={`truncate font-medium ${source.removed ? "line-through" : ""}`}>{source.document_title}</span>
                {source.removed && <span className="shrink-0 rounded bg-slate-200 px-1 dark:bg-slate-800">removed</span>}
              </span>
              {where && <span className="truncate text-slate-600 dark:text-slate-400">{where}</span>}
              {source.content && <span className="line-clamp-2 text-slate-700 dark:text-slate-300">{source.content}</span>}
            </button>
          </li>
        );
      })}
    </ol>
  );
}
