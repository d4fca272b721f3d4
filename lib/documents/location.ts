import type { ChunkLocation } from "../api/schemas";

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
