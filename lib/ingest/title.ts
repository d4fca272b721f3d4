/** A backslash before ASCII punctuation, which CommonMark reads as that character itself. */
const MARKDOWN_ESCAPE = /\\([!-/:-@[-`{-~])/g;
/** A backslash ending a line after an even number of others: CommonMark's hard line break, not text. */
const HARD_BREAK = /(?<!\\)((?:\\\\)*)\\$/;

/** The longest title kept, as the API's title fields allow. */
export const MAX_TITLE_CHARS = 500;

/**
 * A title as lists and citations show it: on one line, without control
 * characters or the bidirectional overrides that make "invoice‮fdp.exe" read
 * as "invoiceexe.pdf", and at most MAX_TITLE_CHARS long.
 */
export function displayTitle(title: string): string {
  const clean = title.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length <= MAX_TITLE_CHARS ? clean : `${clean.slice(0, MAX_TITLE_CHARS - 1).trimEnd()}…`;
}

/** "routine_vacuuming.html" → "routine vacuuming": a title until the file is read. */
export function titleFromFilename(filename: string | undefined): string {
  if (!filename) return "";
  return displayTitle(filename.replace(/\.[a-z0-9]+$/i, "").replace(/[_-]+/g, " ").trim() || filename);
}

/**
 * The title a document is stored under once parsed: the one its sender gave,
 * else the one the file gives itself (HTML <title>, PDF metadata, Word's
 * properties, a first heading), else its file name, else its first line.
 */
export interface TitleSource {
  title: string;
  titleGiven: boolean;
  filename?: string | null;
}

export function documentTitle(
  document: TitleSource,
  parsedTitle: string | undefined,
  content: string,
): string {
  if (document.titleGiven && document.title) return displayTitle(document.title);
  return displayTitle(parsedTitle ?? "") || titleFromFilename(document.filename ?? undefined) || displayTitle(firstLine(content));
}

/**
 * The content's first line as a title. The content is Markdown, which escapes
 * text that would read as syntax ("# Island ferries" typed as plain text is
 * stored as "\# Island ferries", and a line break as a backslash ending the
 * line): the escapes and the break go, and so does a heading's "#".
 */
function firstLine(content: string): string {
  const line = content
    .trim()
    .split("\n", 1)[0]!
    .replace(HARD_BREAK, "$1")
    .replace(MARKDOWN_ESCAPE, "$1")
    .replace(/^#+\s*/, "");
  return line.length <= 80 ? line : `${line.slice(0, 77).trimEnd()}…`;
}
