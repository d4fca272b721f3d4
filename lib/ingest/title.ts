/** "routine_vacuuming.html" → "routine vacuuming": a title until the file is read. */
export function titleFromFilename(filename: string | undefined): string {
  if (!filename) return "";
  return filename.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " ").trim() || filename;
}

/** The title a document is stored under once parsed. */
export function documentTitle(document: { title: string; filename?: string | null }, parsedTitle: string | undefined, content: string): string {
  return document.title || parsedTitle || firstLine(content);
}

function firstLine(content: string): string {
  const line = content.split("\n", 1)[0]!.replace(/^#+\s*/, "");
  return line.length <= 80 ? line : `${line.slice(0, 77).trimEnd()}…`;
}
