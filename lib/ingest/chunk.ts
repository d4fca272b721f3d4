import type { Block } from "./parse/types";
import type { CountTokens } from "./tokens";

export interface ChunkOptions {
  /** Largest chunk text, in tokens. */
  maxTokens: number;
  /** Tokens of the previous chunk's tail repeated at the start of the next. */
  overlapTokens: number;
  /** The most tokens the embedder reads: the heading context plus the chunk must fit. */
  inputTokens: number;
  countTokens: CountTokens;
}

export interface TextChunk {
  content: string;
  tokenCount: number;
  /** Headings above the chunk, outermost first; embedded with it as context. */
  headings: string[];
  /** First and last PDF page the chunk draws on. */
  pages?: [number, number];
  /** First and last data row (CSV, JSON) the chunk holds. */
  rows?: [number, number];
}

interface Unit {
  text: string;
  tokens: number;
  /** What joins it to the unit before: a blank line between blocks, a newline between lines. */
  separator: "\n\n" | "\n" | " ";
  page?: number;
  row?: number;
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Splits parsed blocks into chunks. Structure first: a chunk never spans two
 * sections (runs of blocks under the same headings), so its heading path is
 * exact. Within a section, paragraphs and sentences are kept whole where they
 * fit, and only a sentence longer than a chunk is cut between words.
 * Neighbouring chunks share up to `overlapTokens` of whole sentences, so a fact
 * that straddles a boundary is still found.
 */
export function chunkBlocks(blocks: Block[], options: ChunkOptions): TextChunk[] {
  if (options.maxTokens < 1) throw new RangeError("maxTokens must be at least 1");
  if (options.overlapTokens < 0 || options.overlapTokens >= options.maxTokens) {
    throw new RangeError("overlapTokens must be at least 0 and below maxTokens");
  }
  return sections(blocks).flatMap((section) => chunkSection(section, options));
}

/** What the embedder reads for a chunk: its heading path, then its text. */
export function embeddingInput(chunk: Pick<TextChunk, "content" | "headings">): string {
  return chunk.headings.length > 0 ? `${chunk.headings.join(" › ")}\n\n${chunk.content}` : chunk.content;
}

function sections(blocks: Block[]): Block[][] {
  const result: Block[][] = [];
  let key: string | undefined;
  for (const block of blocks) {
    const blockKey = JSON.stringify(block.headings);
    if (blockKey !== key) result.push([]);
    key = blockKey;
    result.at(-1)!.push(block);
  }
  return result;
}

function chunkSection(blocks: Block[], options: ChunkOptions): TextChunk[] {
  let headings = blocks[0]!.headings;
  const contextTokens = (path: string[]) => (path.length > 0 ? options.countTokens(path.join(" › ")) : 0);
  // A runaway heading path (a whole paragraph styled as a heading) would crowd
  // out the text: keep at most the nearest heading, or none.
  if (contextTokens(headings) > options.inputTokens / 4) headings = headings.slice(-1);
  if (contextTokens(headings) > options.inputTokens / 4) headings = [];
  const maxTokens = Math.max(1, Math.min(options.maxTokens, options.inputTokens - contextTokens(headings)));
  const overlapTokens = Math.min(options.overlapTokens, maxTokens - 1);

  const chunks: TextChunk[] = [];
  let current: Unit[] = [];
  let currentTokens = 0;
  /** Units in `current` that no chunk holds yet; the rest is overlap. */
  let fresh = 0;

  const emit = () => {
    const content = joinUnits(current);
    chunks.push({ content, tokenCount: options.countTokens(content), headings, ...locate(current) });
    const tail: Unit[] = [];
    let tailTokens = 0;
    for (let i = current.length - 1; i > 0; i--) {
      const unit = current[i]!;
      if (tailTokens + unit.tokens > overlapTokens) break;
      tail.unshift(unit);
      tailTokens += unit.tokens;
    }
    current = tail;
    currentTokens = tailTokens;
    fresh = 0;
  };

  for (const unit of splitUnits(blocks, maxTokens, options.countTokens)) {
    while (current.length > 0 && currentTokens + unit.tokens > maxTokens) {
      if (fresh > 0) emit();
      else currentTokens -= current.shift()!.tokens;
    }
    current.push(unit);
    currentTokens += unit.tokens;
    fresh += 1;
  }
  if (fresh > 0) emit();
  return chunks;
}

function locate(units: Unit[]): Pick<TextChunk, "pages" | "rows"> {
  const range = (values: (number | undefined)[]): [number, number] | undefined => {
    const present = values.filter((v): v is number => v !== undefined);
    return present.length > 0 ? [Math.min(...present), Math.max(...present)] : undefined;
  };
  const pages = range(units.map((u) => u.page));
  const rows = range(units.map((u) => u.row));
  return { ...(pages && { pages }), ...(rows && { rows }) };
}

function joinUnits(units: Unit[]): string {
  return units
    .map((unit, i) => (i === 0 ? unit.text : `${unit.separator}${unit.text}`))
    .join("");
}

function* splitUnits(blocks: Block[], maxTokens: number, countTokens: CountTokens): Generator<Unit> {
  for (const block of blocks) {
    let separator: Unit["separator"] = "\n\n";
    for (const line of block.text.split("\n")) {
      for (const { segment } of sentences.segment(line)) {
        const sentence = segment.trim();
        if (!sentence) continue;
        const tokens = countTokens(sentence);
        const pieces = tokens <= maxTokens ? [{ text: sentence, tokens }] : splitLongSentence(sentence, maxTokens, countTokens);
        for (const piece of pieces) {
          yield { ...piece, separator, page: block.page, row: block.row };
          separator = " ";
        }
      }
      if (separator === " ") separator = "\n";
    }
  }
}

/** Greedy word packing for a sentence that alone exceeds a chunk. */
function splitLongSentence(sentence: string, maxTokens: number, countTokens: CountTokens) {
  const pieces: { text: string; tokens: number }[] = [];
  let words: string[] = [];
  let tokens = 0;
  const flush = () => {
    const text = words.join(" ");
    pieces.push({ text, tokens: countTokens(text) });
    words = [];
    tokens = 0;
  };
  for (const word of sentence.split(/\s+/).flatMap((w) => splitLongWord(w, maxTokens, countTokens))) {
    const wordTokens = countTokens(word);
    if (words.length > 0 && tokens + wordTokens > maxTokens) flush();
    words.push(word);
    tokens += wordTokens;
  }
  if (words.length > 0) flush();
  return pieces;
}

/** A "word" longer than a chunk (a hash, base64, a URL) is cut into slices that fit. */
function splitLongWord(word: string, maxTokens: number, countTokens: CountTokens): string[] {
  if (countTokens(word) <= maxTokens) return [word];
  const slices: string[] = [];
  let rest = word;
  while (rest.length > 0) {
    let size = Math.min(rest.length, maxTokens);
    while (size > 1 && countTokens(rest.slice(0, size)) > maxTokens) size = Math.floor(size / 2);
    slices.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return slices;
}
