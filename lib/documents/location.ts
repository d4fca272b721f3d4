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

/**
 * "p. 3", "pp. 2–4", "rows 10–20", "Guide › Setup": where a chunk sits. Shown
 * next to the document's title, so a first heading that repeats it is left out.
 */
export function describeLocation(location: ChunkLocation, documentTitle?: string) {
  const parts: string[] = [];
  if (location.pages) {
    const [from, to] = location.pages;
    parts.push(from === to ? `p. ${from}` : `pp. ${from}–${to}`);
  }
  if (location.rows) {
    const [from, to] = location.rows;
    parts.push(from === to ? `row ${from}` : `rows ${from}–${to}`);
  }
  const headings = location.headings ?? [];
  const repeatsTitle = documentTitle !== undefined && headings[0]?.trim().toLowerCase() === documentTitle.trim().toLowerCase();
  const path = repeatsTitle ? headings.slice(1) : headings;
  if (path.length > 0) parts.push(path.join(" › "));
  return parts.join(" · ");
}
