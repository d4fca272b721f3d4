/**
 * Citations are source numbers in square brackets: [1], [1, 3], and the
 * "[Source 2]" some models write. Only numbers that name a source the model was
 * given survive; a marker left with none is removed, so an invented [7] never
 * reaches anyone as a link.
 */
const MARKER = /(\s*)\[((?:sources?\s*:?\s*)?\d+(?:\s*[,;]\s*(?:sources?\s*:?\s*)?\d+)*)\]/gi;

function numbersIn(inside: string): number[] {
  return [...inside.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** The valid source numbers the text cites, in order of first appearance. */
export function citedNumbers(text: string, valid: ReadonlySet<number>): number[] {
  const cited = new Set<number>();
  for (const match of text.matchAll(MARKER)) {
    for (const n of numbersIn(match[2]!)) if (valid.has(n)) cited.add(n);
  }
  return [...cited];
}

/** Rewrites every marker to the plain [n] form, keeping only valid numbers. */
export function keepValidCitations(text: string, valid: ReadonlySet<number>): string {
  return text.replace(MARKER, (_whole, space: string, inside: string) => {
    const kept = [...new Set(numbersIn(inside).filter((n) => valid.has(n)))];
    return kept.length === 0 ? "" : `${space}${kept.map((n) => `[${n}]`).join("")}`;
  });
}

/** A marker longer than this is not a citation, so it need not be held back. */
const LONGEST_MARKER = 40;

/**
 * keepValidCitations for a stream of deltas: text that may be the start of a
 * marker ("… [", "… [1,") is held back until the marker closes, so a citation
 * split across deltas is judged whole and nothing invalid is ever sent.
 */
export function createCitationFilter(valid: ReadonlySet<number>) {
  let pending = "";
  return {
    push(delta: string): string {
      pending += delta;
      const open = pending.lastIndexOf("[");
      const markerMayFollow = open !== -1 && pending.indexOf("]", open) === -1 && pending.length - open <= LONGEST_MARKER;
      // Whitespace before a marker goes if the marker goes, so trailing
      // whitespace waits for what comes after it.
      let cut = markerMayFollow ? open : pending.length;
      while (cut > 0 && /\s/.test(pending[cut - 1]!)) cut--;
      const out = keepValidCitations(pending.slice(0, cut), valid);
      pending = pending.slice(cut);
      return out;
    },
    flush(): string {
      const out = keepValidCitations(pending, valid);
      pending = "";
      return out;
    },
  };
}
