import Link from "next/link";
import type { SourceJson } from "@/lib/api/schemas";
import { describeLocation } from "../format";
import { ChunkText } from "../chunk-text";
import { ScoreBar } from "../search/score-bar";
import { sourceHref } from "./answer-markdown";

/** The passages an answer was given, with their search scores; cited ones first in weight, removed ones marked. */
export function SourceList({ sources, omitted }: { sources: SourceJson[]; omitted: number }) {
  if (sources.length === 0 && omitted === 0) return null;
  return (
    <details className="mt-3 rounded-lg border border-slate-200 text-sm dark:border-slate-800" open={sources.length <= 4}>
      <summary className="cursor-pointer px-3 py-2 text-xs font-medium text-slate-600 dark:text-slate-400">
        Sources ({sources.length})
        {omitted > 0 && (
          <span className="ml-2 font-normal text-amber-700 dark:text-amber-400" data-testid="omitted-sources">
            {omitted} more relevant {omitted === 1 ? "passage was" : "passages were"} left out to fit the model&apos;s context
            window (CHAT_CONTEXT_TOKENS)
          </span>
        )}
      </summary>
      <ol className="flex flex-col divide-y divide-slate-100 dark:divide-slate-800" aria-label="Sources">
        {sources.map((source) => {
          const href = sourceHref(source);
          const where = source.location ? describeLocation(source.location, source.document_title) : "";
          return (
            <li key={source.number} className="flex flex-col gap-1 px-3 py-2" data-testid="source">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className={`font-medium ${source.cited ? "" : "text-slate-500"}`}>
                  <span className="mr-1 font-mono text-xs">[{source.number}]</span>
                  {href ? (
                    <Link href={href} className="hover:underline">
                      {source.document_title}
                    </Link>
                  ) : (
                    <span className="line-through">{source.document_title}</span>
                  )}
                  {source.removed && <span className="ml-2 rounded bg-slate-200 px-1 text-xs dark:bg-slate-800">removed</span>}
                  {where && <span className="ml-2 text-xs font-normal text-slate-500">{where}</span>}
                  {!source.cited && <span className="ml-2 text-xs font-normal text-slate-400">not cited</span>}
                </span>
                <ScoreBar score={source.score} scale={1} label={`Relevance of source ${source.number}`} />
              </div>
              {source.content && (
                <ChunkText text={source.content} code={source.code} className="line-clamp-3 text-xs text-slate-600 dark:text-slate-400" />
              )}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
