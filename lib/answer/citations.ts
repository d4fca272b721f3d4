import { fromMarkdown } from "mdast-util-from-markdown";
import type { Nodes } from "mdast";

/**
 * Citations are source numbers in square brackets: [1], [1, 3], and the
 * "[Source 2]" some models write. Only numbers that name a source the model was
 * given survive; a marker left with none is removed, so an invented [7] never
 * reaches anyone as a link. Code is never touched: `arr[1]` and a fenced
 * `x = a[7]` are code, not citations, as the Markdown parser sees them.
 */
const MARKER = /(\s*)\[((?:sources?\s*:?\s*)?\d+(?:\s*[,;]\s*(?:sources?\s*:?\s*)?\d+)*)\]/gi;

type Range = [start: number, end: number];

/** Where code sits in Markdown (fenced and indented blocks, inline spans), by CommonMark's rules. */
function codeRanges(markdown: string): Range[] {
  const ranges: Range[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "code" || node.type === "inlineCode") {
      ranges.push([node.position!.start.offset!, node.position!.end.offset!]);
    } else if ("children" in node) {
      for (const child of node.children) walk(child);
    }
  };
  walk(fromMarkdown(markdown));
  return ranges;
}

const inside = (ranges: Range[], at: number) => ranges.some(([start, end]) => at >= start && at < end);

function numbersIn(marker: string): number[] {
  return [...marker.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** The markers of the prose in text[from, to): where each starts (its brackets, not the space before) and its numbers. */
function* markers(text: string, ranges: Range[], from = 0, to = text.length) {
  for (const match of text.slice(from, to).matchAll(MARKER)) {
    const start = from + match.index;
    const bracket = start + match[1]!.length;
    if (!inside(ranges, bracket)) yield { match, start, end: start + match[0].length };
  }
}

/** The valid source numbers the text cites, in order of first appearance. */
export function citedNumbers(text: string, valid: ReadonlySet<number>): number[] {
  const cited = new Set<number>();
  for (const { match } of markers(text, codeRanges(text))) {
    for (const n of numbersIn(match[2]!)) if (valid.has(n)) cited.add(n);
  }
  return [...cited];
}

/** text[from, to) with every marker in prose rewritten to the plain [n] form, keeping only valid numbers. */
function rewrite(text: string, ranges: Range[], valid: ReadonlySet<number>, from: number, to: number): string {
  let out = "";
  let at = from;
  for (const { match, start, end } of markers(text, ranges, from, to)) {
    const kept = [...new Set(numbersIn(match[2]!).filter((n) => valid.has(n)))];
    out += text.slice(at, start) + (kept.length === 0 ? "" : `${match[1]}${kept.map((n) => `[${n}]`).join("")}`);
    at = end;
  }
  return out + text.slice(at, to);
}

export function keepValidCitations(text: string, valid: ReadonlySet<number>): string {
  return rewrite(text, codeRanges(text), valid, 0, text.length);
}

/** A marker longer than this is not a citation, so it need not be held back. */
const LONGEST_MARKER = 40;

/**
 * keepValidCitations for a stream of deltas. Text whose meaning the next delta
 * may still change is held back: the start of a marker ("… [", "… [1,") until
 * it closes, and a backtick on the line being written, which may open a code
 * span that a later backtick closes. So a citation split across deltas is
 * judged whole, and nothing invalid (or wrongly removed) is ever sent.
 */
export function createCitationFilter(valid: ReadonlySet<number>) {
  let text = "";
  let sent = 0;
  const release = (final: boolean) => {
    const unsent = text.slice(sent);
    // Parsing is needed only where a marker or code may be; most deltas are words.
    const ranges = /[[`~]|^ {4}/m.test(unsent) ? codeRanges(text) : [];
    let cut = text.length;
    if (!final) {
      const lineStart = text.lastIndexOf("\n") + 1;
      for (let i = text.indexOf("`", Math.max(sent, lineStart)); i !== -1; i = text.indexOf("`", i + 1)) {
        if (!inside(ranges, i)) {
          cut = i;
          break;
        }
      }
      const open = text.lastIndexOf("[", cut - 1);
      if (open >= sent && !inside(ranges, open) && text.indexOf("]", open) === -1 && text.length - open <= LONGEST_MARKER) cut = open;
      // Whitespace before a marker goes if the marker goes, so it waits for what comes after it.
      while (cut > sent && /\s/.test(text[cut - 1]!)) cut--;
    }
    const out = rewrite(text, ranges, valid, sent, cut);
    sent = cut;
    return out;
  };
  return {
    push(delta: string): string {
      text += delta;
      return release(false);
    },
    flush(): string {
      return release(true);
    },
  };
}
