"use client";

import * as HoverCard from "@radix-ui/react-hover-card";
import type { Root } from "mdast";
import { findAndReplace } from "mdast-util-find-and-replace";
import { type ComponentProps, createContext, useContext, useMemo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import type { SourceJson } from "@/lib/api/schemas";
import { describeLocation } from "@/lib/documents/location";

const CITATION_LINK = "#source-";

/** Where a source opens: its chunk, highlighted, in the document view. */
export function sourceHref(source: SourceJson): string | null {
  if (source.removed || source.document_id === null) return null;
  return `/documents/${source.document_id}?chunk=${source.chunk_id}#chunk-${source.chunk_id}`;
}

/**
 * A remark plugin: each [n] in the answer's text that names a source becomes a
 * link to it. It works on the syntax tree's text, so code (`arr[1]`, a fenced
 * block) and existing links are left as they are.
 */
function remarkCitations(numbers: ReadonlySet<number>) {
  return () => (tree: Root) =>
    findAndReplace(
      tree,
      [/\[(\d+)\]/g, (marker: string, n: string) => numbers.has(Number(n)) && { type: "link", url: `${CITATION_LINK}${n}`, children: [{ type: "text", value: marker }] }],
      { ignore: ["link", "linkReference"] },
    );
}

/** The answer's sources and what a click on one does, for the links inside its Markdown. */
const CitationsContext = createContext<{ byNumber: ReadonlyMap<number, SourceJson>; onOpen: (source: SourceJson) => void }>({
  byNumber: new Map(),
  onOpen: () => {},
});

// Never fetched: an image URL is how an instruction hidden in a document
// would send what the answer knows to another site. It shows as a link.
function MarkdownImage({ src, alt }: ComponentProps<"img">) {
  return typeof src === "string" && src ? (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow" className="text-indigo-600 underline dark:text-indigo-400">
      {alt || "image"}
    </a>
  ) : null;
}

function MarkdownLink({ href, children }: ComponentProps<"a">) {
  const { byNumber, onOpen } = useContext(CitationsContext);
  if (href?.startsWith(CITATION_LINK)) {
    const source = byNumber.get(Number(href.slice(CITATION_LINK.length)));
    if (source) return <Citation source={source} onOpen={onOpen} />;
  }
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-indigo-600 underline dark:text-indigo-400">
      {children}
    </a>
  );
}

/**
 * Defined once: react-markdown renders each element with these as its type, so
 * functions made afresh on every render would remount every citation on every
 * streamed word or refetch, closing a preview the reader is pointing at.
 */
const components: Components = { img: MarkdownImage, a: MarkdownLink };

/**
 * An answer's Markdown, rendered to React elements: raw HTML in it is
 * dropped, never parsed, so nothing a model or a document wrote can run.
 * Each [n] that names a source becomes a citation: a preview on hover or
 * focus, and the passage beside the chat on a click or a tap.
 */
export function AnswerMarkdown({ content, sources, onOpen }: { content: string; sources: SourceJson[]; onOpen: (source: SourceJson) => void }) {
  const citations = useMemo(() => ({ byNumber: new Map(sources.map((s) => [s.number, s])), onOpen }), [sources, onOpen]);
  return (
    <div className="answer-markdown break-words text-sm leading-relaxed" data-testid="answer-text">
      <CitationsContext value={citations}>
        <ReactMarkdown remarkPlugins={[remarkGfm, remarkCitations(new Set(citations.byNumber.keys()))]} components={components} skipHtml>
          {content}
        </ReactMarkdown>
      </CitationsContext>
    </div>
  );
}

function Citation({ source, onOpen }: { source: SourceJson; onOpen: (source: SourceJson) => void }) {
  const label = `Source ${source.number}: ${source.document_title}${source.removed ? " (removed)" : ""}`;
  const where = source.location ? describeLocation(source.location, source.document_title) : "";
  return (
    <HoverCard.Root openDelay={150} closeDelay={100}>
      <HoverCard.Trigger asChild>
        <button
          type="button"
          aria-label={label}
          data-testid="citation"
          onClick={() => onOpen(source)}
          className={`mx-0.5 rounded px-1 align-baseline font-mono text-xs font-semibold ${
            source.removed
              ? "bg-slate-200 text-slate-600 line-through dark:bg-slate-800 dark:text-slate-400"
              : "bg-indigo-100 text-indigo-700 hover:bg-indigo-200 dark:bg-indigo-950 dark:text-indigo-300 dark:hover:bg-indigo-900"
          }`}
        >
          {source.number}
        </button>
      </HoverCard.Trigger>
      {/* In a portal, placed by Floating UI within the window: the chat's scroll area clipped it before. */}
      <HoverCard.Portal>
        <HoverCard.Content
          role="tooltip"
          side="top"
          sideOffset={6}
          collisionPadding={8}
          className="z-50 w-80 max-w-[calc(100vw-1rem)] rounded-lg border border-slate-200 bg-white p-3 text-xs text-slate-700 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300"
        >
          <span className="block font-semibold text-slate-900 dark:text-slate-100">{source.document_title}</span>
          {source.removed ? (
            <span className="mt-1 block text-amber-700 dark:text-amber-400">This source was removed: its document was deleted.</span>
          ) : (
            <>
              {where && <span className="block text-slate-600 dark:text-slate-400">{where}</span>}
              <span className="mt-1 line-clamp-6 block whitespace-pre-line">{source.content}</span>
              <span className="mt-2 block text-slate-600 dark:text-slate-400">Click to read it beside the chat.</span>
            </>
          )}
        </HoverCard.Content>
      </HoverCard.Portal>
    </HoverCard.Root>
  );
}
