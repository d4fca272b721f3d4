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
  /** [start, end) offsets of code in `content`: shown monospaced with its line breaks, never cut into sentences. */
  code?: [number, number][];
}

/** The bump in the chunker (and its units) that obliges stored documents to be chunked again. */
export const CHUNKER_VERSION = 2;

interface Unit {
  text: string;
  tokens: number;
  /** What joins it to the unit before: a blank line between blocks, a newline between lines, rows or items, a space between sentences. */
  separator: "\n\n" | "\n" | " ";
  page?: number;
  row?: number;
  /** Units of one code block share its number. */
  code?: number;
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Splits parsed blocks into chunks. Structure first: a chunk never spans two
 * sections (runs of blocks under the same headings), so its heading path is
 * exact. Within a section the units are kept whole where they fit: a code
 * block, a table row or a list item as one, a paragraph sentence by sentence;
 * only what alone exceeds a chunk is cut (code between lines, a sentence
 * between words). Neighbouring chunks share up to `overlapTokens` of whole
 * units, so a fact that straddles a boundary is still found.
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
    const { content, code } = joinUnits(current);
    chunks.push({ content, tokenCount: options.countTokens(content), headings, ...locate(current), ...(code.length > 0 && { code }) });
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

/** The chunk's text, and where its code sits in it (the lines of one code block form one range). */
function joinUnits(units: Unit[]): { content: string; code: [number, number][] } {
  let content = "";
  const code: [number, number][] = [];
  units.forEach((unit, i) => {
    if (i > 0) content += unit.separator;
    const start = content.length;
    content += unit.text;
    if (unit.code === undefined) return;
    const last = code.at(-1);
    if (last && i > 0 && units[i - 1]!.code === unit.code) last[1] = content.length;
    else code.push([start, content.length]);
  });
  return { content, code };
}

function* splitUnits(blocks: Block[], maxTokens: number, countTokens: CountTokens): Generator<Unit> {
  let codeBlocks = 0;
  let previous: Block | undefined;
  for (const block of blocks) {
    const where = { page: block.page, row: block.row };
    // Rows of one table and items of one list follow each other line by line; other blocks are paragraphs apart.
    const continuesRun =
      previous !== undefined &&
      ((block.kind === "table-row" && previous.kind === "table-row" && previous.table === block.table) ||
        (block.kind === "list-item" && previous.kind === "list-item"));
    let separator: Unit["separator"] = continuesRun ? "\n" : "\n\n";
    previous = block;

    if (block.kind === "code") {
      const code = ++codeBlocks;
      const tokens = tokensIfWhole(block.text, maxTokens, countTokens);
      if (tokens !== undefined) {
        yield { text: block.text, tokens, separator, code, ...where };
        continue;
      }
      for (const piece of splitCode(block.text, maxTokens, countTokens)) {
        yield { ...piece, separator, code, ...where };
        separator = "\n";
      }
      continue;
    }
    if (block.kind === "table-row" || block.kind === "list-item") {
      const tokens = tokensIfWhole(block.text, maxTokens, countTokens);
      if (tokens !== undefined && !block.text.includes("\n")) {
        yield { text: block.text, tokens, separator, ...where };
        continue;
      }
    }
    for (const line of block.text.split("\n")) {
      for (const { segment } of sentences.segment(line)) {
        const sentence = segment.trim();
        if (!sentence) continue;
        const tokens = tokensIfWhole(sentence, maxTokens, countTokens);
        const pieces = tokens !== undefined ? [{ text: sentence, tokens }] : splitLongSentence(sentence, maxTokens, countTokens);
        for (const piece of pieces) {
          yield { ...piece, separator, ...where };
          separator = " ";
        }
      }
      if (separator === " ") separator = "\n";
    }
  }
}

/** Code too long for one chunk is cut between lines, each piece as many whole lines as fit. */
function splitCode(text: string, maxTokens: number, countTokens: CountTokens) {
  const pieces: { text: string; tokens: number }[] = [];
  let lines: string[] = [];
  // A line break is no WordPiece token: a piece's tokens are its lines' tokens.
  let tokens = 0;
  const flush = () => {
    if (lines.length === 0) return;
    const piece = lines.join("\n");
    pieces.push({ text: piece, tokens: countTokens(piece) });
    lines = [];
    tokens = 0;
  };
  for (const line of text.split("\n")) {
    const lineTokens = tokensIfWhole(line, maxTokens, countTokens);
    if (lineTokens === undefined) {
      flush();
      for (const piece of splitLongSentence(line, maxTokens, countTokens)) pieces.push(piece);
      continue;
    }
    if (lines.length > 0 && tokens + lineTokens > maxTokens) flush();
    lines.push(line);
    tokens += lineTokens;
  }
  flush();
  return pieces;
}

/** Greedy word packing for a sentence that alone exceeds a chunk. */
function splitLongSentence(sentence: string, maxTokens: number, countTokens: CountTokens) {
  const pieces: { text: string; tokens: number }[] = [];
  let words: string[] = [];
  let tokens = 0;
  // WordPiece counts whitespace-separated words on their own, so a piece's tokens are its words' sum.
  const flush = () => {
    pieces.push({ text: words.join(" "), tokens });
    words = [];
    tokens = 0;
  };
  for (const word of wordsThatFit(sentence, maxTokens, countTokens)) {
    if (words.length > 0 && tokens + word.tokens > maxTokens) flush();
    words.push(word.text);
    tokens += word.tokens;
  }
  if (words.length > 0) flush();
  return pieces;
}

/**
 * WordPiece reads a "word" longer than this as one unknown token, so the model
 * would see nothing of a hash, a base64 blob or text without spaces, and the
 * chunker would take megabytes of it for two tokens.
 */
const WORDPIECE_MAX_CHARS = 100;
/**
 * Slices such a word is cut into: WordPiece's cost grows with the square of a
 * word's length (2.2 ms for 100 characters, 0.45 ms for 50), and a megabyte
 * without spaces is 20,000 of them.
 */
const LONG_WORD_SLICE = 50;
const LONG_WORD = new RegExp(`\\S{${WORDPIECE_MAX_CHARS + 1}}`);

/** The sentence's words with their tokens; a word too long for WordPiece or for a chunk comes in slices that are neither. */
function* wordsThatFit(sentence: string, maxTokens: number, countTokens: CountTokens): Generator<{ text: string; tokens: number }> {
  for (const word of sentence.split(/\s+/)) {
    const sliceSize = word.length > WORDPIECE_MAX_CHARS ? LONG_WORD_SLICE : word.length;
    for (let start = 0; start < word.length; ) {
      let size = Math.min(sliceSize, word.length - start);
      let tokens = countTokens(word.slice(start, start + size));
      while (size > 1 && tokens > maxTokens) {
        size = Math.floor(size / 2);
        tokens = countTokens(word.slice(start, start + size));
      }
      yield { text: word.slice(start, start + size), tokens };
      start += size;
    }
  }
}

/** The text's tokens, when it can stay one unit: it fits a chunk and WordPiece can read every word of it. */
function tokensIfWhole(text: string, maxTokens: number, countTokens: CountTokens): number | undefined {
  // Longer than any chunk can be whatever its words: not worth counting.
  if (text.length > maxTokens * WORDPIECE_MAX_CHARS) return undefined;
  if (LONG_WORD.test(text)) return undefined;
  const tokens = countTokens(text);
  return tokens <= maxTokens ? tokens : undefined;
}
