import { describeLocation } from "../documents/location";
import type { SearchResult } from "../retrieve/search";
import type { ChunkHit } from "../retrieve/types";

/**
 * A retrieved chunk as the answer sees it: numbered from 1 in the order given
 * to the model, with the search's (fused) score.
 */
export type Source = Omit<ChunkHit, "score" | "absoluteScore"> & { number: number; score: number };

/** How a source is shown to the model: its number, where it comes from, and its text. */
export function formatSource(source: Source): string {
  const where = describeLocation(source.location, source.documentTitle);
  return `[${source.number}] ${source.documentTitle}${where ? ` (${where})` : ""}\n${source.content}`;
}

export interface PackedSources {
  sources: Source[];
  /** Relevant chunks left out because they did not fit the budget. */
  omitted: number;
}

const comparable = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/**
 * Numbers the best results and keeps as many as fit `budget` tokens, best
 * first. A chunk whose text repeats one already kept (the same passage in two
 * uploads, or one chunk inside another) adds nothing and is dropped, so the
 * budget goes to distinct evidence.
 */
export function packSources(
  results: SearchResult[],
  budget: number,
  countTokens: (text: string) => number,
): PackedSources {
  const sources: Source[] = [];
  const kept: string[] = [];
  let used = 0;
  let omitted = 0;
  for (const { hit, score } of results) {
    const text = comparable(hit.content);
    if (kept.some((other) => other.includes(text) || text.includes(other))) continue;
    const source: Source = { ...hit, number: sources.length + 1, score };
    const cost = countTokens(formatSource(source)) + 2;
    if (used + cost > budget) {
      omitted++;
      continue;
    }
    used += cost;
    kept.push(text);
    sources.push(source);
  }
  return { sources, omitted };
}
