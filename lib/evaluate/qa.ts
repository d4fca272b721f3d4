import { Parser } from "htmlparser2";

/**
 * Judging answers against the pages they quote. The reference is the page's
 * HTML rendered here with the browser's block rules (one line per paragraph,
 * list item, table row, heading or <pre> line) by a renderer of its own, so
 * the parser being evaluated is never its own judge.
 */

const BLOCK = new Set([
  "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "li", "ul", "ol", "dl", "dt", "dd",
  "pre", "blockquote", "figure", "figcaption", "table", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
  "hr", "body", "form", "address", "details", "summary",
]);
const SKIPPED = new Set(["script", "style", "head", "template", "noscript", "svg"]);

export function referenceText(html: string): string {
  const lines: string[] = [];
  let line = "";
  let skipped = 0;
  let preformatted = 0;
  const endLine = () => {
    const clean = line.replace(/[^\S\n]+/g, " ").trim();
    if (clean) lines.push(clean);
    line = "";
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipped++;
        if (name === "pre") preformatted++;
        if (BLOCK.has(name) || name === "br") endLine();
      },
      ontext(text) {
        if (skipped > 0) return;
        if (preformatted === 0) {
          line += text.replace(/\s+/g, " ");
          return;
        }
        const [first, ...rest] = text.split("\n");
        line += first;
        for (const next of rest) {
          endLine();
          line = next;
        }
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipped = Math.max(0, skipped - 1);
        if (name === "pre") preformatted = Math.max(0, preformatted - 1);
        if (BLOCK.has(name)) endLine();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  endLine();
  return lines.join("\n");
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(text: string): Word[] {
  return [...text.normalize("NFKC").matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    text: m[0].toLowerCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Whether the answer quotes the sentence: its words, in order, with nothing between them. */
export function quotesSentence(answer: string, sentence: string): boolean {
  return indexOfWords(words(answer).map((w) => w.text), words(sentence).map((w) => w.text)).length > 0;
}

function indexOfWords(haystack: string[], needle: string[]): number[] {
  if (needle.length === 0) return [];
  const found: number[] = [];
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((word, k) => haystack[i + k] === word)) found.push(i);
  }
  return found;
}

/**
 * The passages an extractive answer quotes: its lines (quote marks, list
 * bullets and code fences aside) cut at citation marks, without the lines
 * that say which document the next quote comes from ("According to … [1]:").
 */
export function quotedPassages(answer: string): string[] {
  return answer
    .split("\n")
    .map((line) => line.replace(/^\s*(?:>\s*)*/, "").replace(/^(?:[-*•]\s+)/, "").replace(/^```\w*$/, ""))
    .filter((line) => !/^According to .*:\s*$/.test(line))
    .flatMap((line) => line.split(/\s*\[\d+(?:\s*,\s*\d+)*\]\s*/))
    .map((piece) => piece.trim())
    .filter((piece) => /[\p{L}\p{N}]/u.test(piece));
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * A quoted passage is whole when it starts where a sentence (or a line: a
 * heading, a list item, a table row, a line of code) starts in the reference,
 * and ends where one ends. A passage whose words the reference does not hold
 * in that order counts as a fragment too: it was cut or garbled.
 */
export function isWholePassage(passage: string, reference: string): boolean {
  const text = reference.normalize("NFKC");
  const starts = new Set<number>();
  const ends = new Set<number>();
  let offset = 0;
  for (const line of text.split("\n")) {
    for (const { segment, index } of sentences.segment(line)) {
      starts.add(offset + index);
      ends.add(offset + index + segment.trimEnd().length);
    }
    offset += line.length + 1;
  }
  const referenceWords = words(text);
  const passageWords = words(passage).map((w) => w.text);
  return indexOfWords(referenceWords.map((w) => w.text), passageWords).some((i) => {
    const first = referenceWords[i]!;
    const last = referenceWords[i + passageWords.length - 1]!;
    const previousEnd = i > 0 ? referenceWords[i - 1]!.end : 0;
    const nextStart = referenceWords[i + passageWords.length]?.start ?? text.length;
    const startsWell = [...range(previousEnd, first.start)].some((at) => starts.has(at));
    const endsWell = [...range(last.end, nextStart)].some((at) => ends.has(at));
    return startsWell && endsWell;
  });
}

function* range(from: number, to: number) {
  for (let at = from; at <= to; at++) yield at;
}
