"use client";

import Link from "next/link";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import type { SourceJson } from "@/lib/api/schemas";
import { describeLocation } from "../format";

const CITATION_LINK = "#source-";

/** Where a source opens: its chunk, highlighted, in the document view. */
export function sourceHref(source: SourceJson): string | null {
  if (source.removed || source.document_id === null) return null;
  return `/documents/${source.document_id}?chunk=${source.chunk_id}#chunk-${source.chunk_id}`;
}

/**
 * An answer's Markdown, rendered to React elements: raw HTML in it is
 * dropped, never parsed, so nothing a model or a document wrote can run.
 * Each [n] that names a source becomes a citation link with a preview.
 */
export function AnswerMarkdown({ content, sources }: { content: string; sources: SourceJson[] }) {
  const byNumber = new Map(sources.map((s) => [s.number, s]));
  const linked = content.replace(/\[(\d+)\](?!\()/g, (marker, n: string) =>
    byNumber.has(Number(n)) ? `[\\[${n}\\]](${CITATION_LINK}${n})` : marker,
  );
  const components: Components = {
    a({ href, children }) {
      if (href?.startsWith(CITATION_LINK)) {
        const source = byNumber.get(Number(href.slice(CITATION_LINK.length)));
        if (source) return <Citation source={source} />;
      }
      return (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-indigo-600 underline dark:text-indigo-400">
          {children}
        </a>
      );
    },
  };
  return (
    <div className="answer-markdown break-words text-sm leading-relaxed" data-testid="answer-text">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} skipHtml>
        {linked}
      </ReactMarkdown>
    </div>
  );
}

function Citation({ source }: { source: SourceJson }) {
  const href = sourceHref(source);
  const label = `Source ${source.number}: ${source.document_title}${source.removed ? " (removed)" : ""}`;
  const marker = (
    <span
      className={`rounded px-1 font-mono text-xs font-semibold ${
        source.removed
          ? "bg-slate-200 text-slate-500 line-through dark:bg-slate-800"
          : "bg-indigo-100 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
      }`}
    >
      {source.number}
    </span>
  );
  return (
    <span className="group relative inline-block align-baseline">
      {href ? (
        <Link href={href} aria-label={label} data-testid="citation" className="no-underline">
          {marker}
        </Link>
      ) : (
        <span tabIndex={0} aria-label={label} data-testid="citation">
          {marker}
        </span>
      )}
      <span
        role="tooltip"
        className="invisible absolute bottom-full left-1/2 z-20 mb-1 w-72 max-w-[80vw] -translate-x-1/2 rounded-lg border border-slate-200 bg-white p-3 text-left text-xs font-normal text-slate-700 shadow-lg group-focus-within:visible group-hover:visible dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
      >
        <span className="block font-semibold text-slate-900 dark:text-slate-100">{source.document_title}</span>
        {source.removed ? (
          <span className="mt-1 block text-amber-700 dark:text-amber-400">This source was removed: its document was deleted.</span>
        ) : (
          <>
            {source.location && describeLocation(source.location, source.document_title) && (
              <span className="block text-slate-500">{describeLocation(source.location, source.document_title)}</span>
            )}
            <span className="mt-1 line-clamp-6 block whitespace-pre-line">{source.content}</span>
          </>
        )}
      </span>
    </span>
  );
}
