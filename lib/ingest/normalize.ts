/**
 * Zero-width and bidirectional control characters, byte-order marks and soft
 * hyphens: invisible in a browser, but they split words for the tokenizer and
 * the full-text parser, so "pg\u200Bvector" would never match "pgvector".
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
/** C0/C1 controls other than tab and newline (carriage returns are handled first). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Clean text for storage and embedding: the same words always produce the same text. */
export function normalizeText(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, "")
    .replace(CONTROL, " ")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Like normalizeText, but spaces are meaning in code: tabs become spaces, trailing spaces go, and nothing else moves. */
export function normalizeCode(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, "")
    .replace(CONTROL, " ")
    .replace(/\t/g, "    ")
    .replace(/[^\S\n]+$/gm, "");
}
