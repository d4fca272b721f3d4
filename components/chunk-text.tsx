import type { ReactNode } from "react";
import { HighlightedText } from "./search/highlighted-text";

/**
 * A chunk's text as its document shows it: prose with its line breaks, and
 * the code in it (the `code` ranges the server sends) as monospaced blocks
 * that keep every line. Highlighted ranges are marked in both; everything
 * is text, never markup.
 */
export function ChunkText({
  text,
  code,
  highlights = [],
  className = "",
}: {
  text: string;
  code: [number, number][];
  highlights?: [number, number][];
  className?: string;
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  const marks = (from: number, to: number) =>
    highlights.filter(([start, end]) => start >= from && end <= to).map(([start, end]) => [start - from, end - from] as [number, number]);
  const prose = (from: number, to: number) => {
    const slice = text.slice(from, to).replace(/^\n+|\n+$/g, "");
    if (!slice) return;
    const offset = from + text.slice(from, to).indexOf(slice);
    parts.push(
      <span key={`p${from}`} className="block whitespace-pre-line">
        <HighlightedText text={slice} ranges={marks(offset, offset + slice.length)} />
      </span>,
    );
  };
  for (const [start, end] of [...code].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > text.length) continue;
    prose(at, start);
    parts.push(
      <pre key={`c${start}`} className="my-1 overflow-x-auto rounded-md bg-slate-100 px-3 py-2 font-mono text-[0.8rem] leading-snug dark:bg-slate-800/70" data-testid="chunk-code">
        <code>
          <HighlightedText text={text.slice(start, end)} ranges={marks(start, end)} />
        </code>
      </pre>,
    );
    at = end;
  }
  prose(at, text.length);
  return <div className={`flex flex-col gap-1 ${className}`}>{parts}</div>;
}
