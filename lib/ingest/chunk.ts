import type { CountTokens } from "./tokens";

export interface ChunkOptions {
  /** Largest chunk, in tokens. */
  maxTokens: number;
  /** Tokens of the previous chunk's tail repeated at the start of the next. */
  overlapTokens: number;
  countTokens: CountTokens;
}

export interface TextChunk {
  content: string;
  tokenCount: number;
}

interface Unit {
  text: string;
  tokens: number;
  /** First unit of a paragraph: joined to what precedes it by a blank line. */
  startsBlock: boolean;
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Splits normalized text into chunks of at most `maxTokens` tokens. Paragraphs
 * and sentences are kept whole where they fit, so a chunk reads as prose and its
 * embedding is about one thing; only a sentence longer than a chunk is cut
 * between words. Neighbouring chunks share up to `overlapTokens` of whole
 * sentences, so a fact that straddles a boundary is still found.
 */
export function chunkText(text: string, options: ChunkOptions): TextChunk[] {
  const { maxTokens, overlapTokens } = options;
  if (maxTokens < 1) throw new RangeError("maxTokens must be at least 1");
  if (overlapTokens < 0 || overlapTokens >= maxTokens) {
    throw new RangeError("overlapTokens must be at least 0 and below maxTokens");
  }

  const chunks: TextChunk[] = [];
  let current: Unit[] = [];
  let currentTokens = 0;
  /** Units in `current` that no chunk holds yet; the rest is overlap. */
  let fresh = 0;

  const emit = () => {
    const content = joinUnits(current);
    chunks.push({ content, tokenCount: options.countTokens(content) });
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

  for (const unit of splitUnits(text, options)) {
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

function joinUnits(units: Unit[]): string {
  return units
    .map((unit, i) => (i === 0 ? unit.text : `${unit.startsBlock ? "\n\n" : " "}${unit.text}`))
    .join("");
}

function* splitUnits(text: string, options: ChunkOptions): Generator<Unit> {
  for (const block of text.split(/\n{2,}/)) {
    let startsBlock = true;
    for (const { segment } of sentences.segment(block)) {
      const sentence = segment.trim();
      if (!sentence) continue;
      const tokens = options.countTokens(sentence);
      const pieces =
        tokens <= options.maxTokens
          ? [{ text: sentence, tokens }]
          : splitLongSentence(sentence, options);
      for (const piece of pieces) {
        yield { ...piece, startsBlock };
        startsBlock = false;
      }
    }
  }
}

/** Greedy word packing for a sentence that alone exceeds a chunk. */
function splitLongSentence(sentence: string, options: ChunkOptions) {
  const pieces: { text: string; tokens: number }[] = [];
  let words: string[] = [];
  let tokens = 0;
  for (const word of sentence.split(/\s+/).flatMap((w) => splitLongWord(w, options))) {
    const wordTokens = options.countTokens(word);
    if (words.length > 0 && tokens + wordTokens > options.maxTokens) {
      const text = words.join(" ");
      pieces.push({ text, tokens: options.countTokens(text) });
      words = [];
      tokens = 0;
    }
    words.push(word);
    tokens += wordTokens;
  }
  if (words.length > 0) {
    const text = words.join(" ");
    pieces.push({ text, tokens: options.countTokens(text) });
  }
  return pieces;
}

/** A "word" longer than a chunk (a hash, base64, a URL) is cut into slices that fit. */
function splitLongWord(word: string, options: ChunkOptions): string[] {
  if (options.countTokens(word) <= options.maxTokens) return [word];
  const slices: string[] = [];
  let rest = word;
  while (rest.length > 0) {
    let size = Math.min(rest.length, options.maxTokens);
    while (size > 1 && options.countTokens(rest.slice(0, size)) > options.maxTokens) {
      size = Math.floor(size / 2);
    }
    slices.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return slices;
}
