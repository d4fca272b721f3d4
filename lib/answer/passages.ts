import type { Source } from "./sources";

/**
 * A source's text cut into what an extractive answer may quote: whole
 * sentences of its paragraphs, whole lines of lists and tables, and whole
 * code blocks (which are never cut into "sentences"). Units remember their
 * paragraph and their neighbours, so an answer can keep together sentences
 * that depend on each other.
 */
export interface Unit {
  text: string;
  kind: "sentence" | "line" | "code";
  source: Source;
  /** Paragraphs (and lines, and code blocks) of one source are numbered in reading order. */
  paragraph: number;
  /** Position among all units of all sources: sources in rank order, units in reading order. */
  index: number;
  /**
   * The short line above the unit's paragraphs that names what they are
   * about, as a term names its definition ("checkpoint_timeout (integer)"
   * above "The default is five minutes"): it holds for every paragraph down
   * to the next such line.
   */
  label?: string;
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });
const SENTENCE_END = /[.!?:;]["'”’)\]]*$/;

export function unitsOf(sources: Source[]): Unit[] {
  const units: Unit[] = [];
  for (const source of sources) {
    let paragraph = 0;
    let label: string | undefined;
    for (const piece of pieces(source)) {
      if (piece.code) {
        units.push({ text: piece.text, kind: "code", source, paragraph: paragraph++, index: units.length });
        label = undefined;
        continue;
      }
      // Blank lines part paragraphs; single line breaks part list items, table rows and lines kept by <br>.
      for (const block of piece.text.split(/\n{2,}/)) {
        const lines = block.split("\n").map((line) => line.trim()).filter((line) => /[\p{L}\p{N}]/u.test(line));
        const isLabel = lines.length === 1 && isLabelLine(lines[0]!);
        for (const line of lines) {
          const parts = lines.length > 1 || isLabel ? [line] : [...sentences.segment(line)].map((s) => s.segment.trim()).filter(Boolean);
          for (const text of parts) {
            units.push({ text, kind: lines.length > 1 || isLabel ? "line" : "sentence", source, paragraph, index: units.length, label: isLabel ? line : label });
          }
          if (lines.length > 1) paragraph++;
        }
        if (lines.length <= 1) paragraph++;
        if (isLabel) label = lines[0];
      }
    }
    // A short line with nothing after it names nothing: it is what the source says ("Postgres with pgvector is excellent for RAG systems").
    const last = units.at(-1);
    if (last?.source === source && last.label === last.text) {
      last.kind = "sentence";
      last.label = undefined;
    }
  }
  return units;
}

/** A short line that does not end a sentence: a term, a setting's name, a caption. */
function isLabelLine(line: string): boolean {
  return line.split(/\s+/).length <= 8 && !SENTENCE_END.test(line);
}

/** The chunk's text cut at its code spans. */
function pieces(source: Source): { text: string; code: boolean }[] {
  const result: { text: string; code: boolean }[] = [];
  let at = 0;
  for (const [start, end] of [...source.code].sort((a, b) => a[0] - b[0])) {
    if (start > at) result.push({ text: source.content.slice(at, start), code: false });
    result.push({ text: source.content.slice(start, end), code: true });
    at = end;
  }
  if (at < source.content.length) result.push({ text: source.content.slice(at), code: false });
  return result.filter((p) => p.text.trim() !== "");
}

/**
 * Whether a unit can be quoted on its own. Chunks are cut between sentences,
 * except a sentence too long for any chunk: its pieces (long, or left open at
 * a chunk's end) are not quoted, and neither is code on its own.
 */
export function quotable(unit: Unit): boolean {
  // Code is quoted with the sentence that introduces it; a label line is shown above what it names.
  if (unit.kind === "code" || unit.text === unit.label) return false;
  const words = unit.text.split(/\s+/).length;
  if (words > 90) return false;
  const last = unit.source.content.trimEnd().endsWith(unit.text);
  return unit.kind === "line" || !(last && !SENTENCE_END.test(unit.text) && words > 12);
}
