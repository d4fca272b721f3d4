/** "routine_vacuuming.html" → "routine vacuuming": a title until the file is read. */
export function titleFromFilename(filename: string | undefined): string {
  if (!filename) return "";
  return filename.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " ").trim() || filename;
}

/**
 * The title a document is stored under once parsed: the one its sender gave,
 * else the one the file gives itself (HTML <title>, PDF metadata, Word's
 * properties, a first heading), else its file name, else its first line.
 */
export function documentTitle(
  document: { title: string; titleGiven: boolean; filename?: string | null },
  parsedTitle: string | undefined,
  content: string,
): string {
  if (document.titleGiven && document.title) return document.title;
  return parsedTitle || titleFromFilename(document.filename ?? undefined) || firstLine(content);
}

function firstLine(content: string): string {
  const line = content.trim().split("\n", 1)[0]!.replace(/^#+\s*/, "");
  return line.length <= 80 ? line : `${line.slice(0, 77).trimEnd()}…`;
}
