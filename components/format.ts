/** Display helpers shared by the document views. */

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export const formatLabels: Record<string, string> = {
  text: "Text",
  markdown: "Markdown",
  html: "HTML",
  pdf: "PDF",
  docx: "Word",
  csv: "CSV",
  json: "JSON",
};

/** "p. 3", "pp. 2–4", "rows 10–20", "Guide › Setup": where a chunk sits. */
export function describeLocation(location: { headings?: string[]; pages?: [number, number]; rows?: [number, number] }) {
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
