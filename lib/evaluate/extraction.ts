import { diffArrays } from "diff";

/**
 * How close extracted text is to the text a person reads, measured against a
 * hand-marked reference. Both texts are cut into words (letters and digits;
 * punctuation, markup and whitespace do not count) and aligned in order, so
 * extracted words that the reference lacks are boilerplate that was kept,
 * reference words that the extraction lacks are content that was lost, and
 * text read out of order (columns swapped) shows up as both.
 */

interface Word {
  text: string;
  /** Offset of the first character after the word, in the text it came from. */
  end: number;
  start: number;
}

export interface ExtractionScore {
  /** Characters of words in the reference. */
  referenceChars: number;
  /** Characters of words in the extraction. */
  extractedChars: number;
  /** Extracted characters the reference does not have: navigation, headers, footers, tables of contents. */
  boilerplateChars: number;
  /** Reference characters the extraction does not have. */
  lostChars: number;
  /**
   * Line breaks in the extraction between two words that stand side by side
   * on one line (one paragraph) of the reference: a sentence broken where the
   * source file or the printed page broke its line.
   */
  brokenLines: number;
  /** The runs of words behind the figures, for a person looking into them. */
  differences: { kind: "boilerplate" | "lost" | "broken"; words: string }[];
}

/** Words of a text already in NFKC form, with their offsets in it. */
function words(text: string): Word[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({
    text: match[0].toLowerCase(),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

const chars = (list: Word[]) => list.reduce((sum, word) => sum + word.text.length, 0);

export function scoreExtraction(referenceText: string, extractedText: string): ExtractionScore {
  const reference = referenceText.normalize("NFKC");
  const extracted = extractedText.normalize("NFKC");
  const expected = words(reference);
  const got = words(extracted);
  const parts = diffArrays(
    expected.map((w) => w.text),
    got.map((w) => w.text),
  );
  let boilerplateChars = 0;
  let lostChars = 0;
  let brokenLines = 0;
  const differences: ExtractionScore["differences"] = [];
  let i = 0;
  let j = 0;
  /** The last pair of aligned words, to judge the gap to the next pair. */
  let previous: { expected: Word; got: Word } | undefined;
  for (const part of parts) {
    const count = part.value.length;
    if (part.added) {
      boilerplateChars += chars(got.slice(j, j + count));
      differences.push({ kind: "boilerplate", words: part.value.join(" ") });
      j += count;
      previous = undefined;
    } else if (part.removed) {
      lostChars += chars(expected.slice(i, i + count));
      differences.push({ kind: "lost", words: part.value.join(" ") });
      i += count;
      previous = undefined;
    } else {
      for (let k = 0; k < count; k++) {
        const pair = { expected: expected[i + k]!, got: got[j + k]! };
        if (previous) {
          const referenceGap = reference.slice(previous.expected.end, pair.expected.start);
          const extractedGap = extracted.slice(previous.got.end, pair.got.start);
          if (extractedGap.includes("\n") && !referenceGap.includes("\n")) {
            brokenLines += 1;
            differences.push({ kind: "broken", words: `${previous.got.text} ⏎ ${pair.got.text}` });
          }
        }
        previous = pair;
      }
      i += count;
      j += count;
    }
  }
  return { referenceChars: chars(expected), extractedChars: chars(got), boilerplateChars, lostChars, brokenLines, differences };
}

/** Titles match when they read the same: case, spacing and typographic variants aside. */
export function sameTitle(expected: string, got: string | undefined): boolean {
  const clean = (title: string) => words(title.normalize("NFKC")).map((w) => w.text).join(" ");
  return got !== undefined && clean(expected) === clean(got);
}
