import type { ChunkMetadata } from "../db/schema";

/** Where a chunk sits in its document: its heading path, and its pages or data rows. */
export type ChunkLocation = Pick<ChunkMetadata, "headings" | "pages" | "rows">;

/** [start, end) offsets of the code in a chunk's text. */
export type CodeSpans = [number, number][];

export function locationOf(metadata: ChunkMetadata | null | undefined): ChunkLocation {
  const { headings, pages, rows } = metadata ?? {};
  return { ...(headings && { headings }), ...(pages && { pages }), ...(rows && { rows }) };
}

export function codeOf(metadata: ChunkMetadata | null | undefined): CodeSpans {
  return metadata?.code ?? [];
}

/** "p. 3", "pp. 2–4", "rows 10–20", "Guide › Setup": where a chunk sits. */
export function describeLocation(location: ChunkLocation) {
  const parts: string[] = [];
  if (location.pages) {
    const [from, to] = location.pages;
    parts.push(from === to ? `p. ${from}` : `pp. ${from}–${to}`);
  }
  if (location.rows) {
    const [from, to] = location.rows;
    parts.push(from === to ? `row ${from}` : `rows ${from}–${to}`);
  }
  if (location.headings?.length) parts.push(location.headings.join(" › "));
  return parts.join(" · ");
}
