import { parseCsv } from "./csv";
import { detectFormat } from "./detect";
import { parseDocx } from "./docx";
import { parseHtml } from "./html";
import { parseJson } from "./json";
import { parseMarkdown } from "./markdown";
import { parsePdf } from "./pdf";
import { parseText } from "./text";
import type { Format, ParsedDocument } from "./types";

export type { Block, BlockKind, CodeBlock, Format, ListItem, ParsedDocument, TableRow } from "./types";
export { detectFormat } from "./detect";

/**
 * Raised whenever a parser changes what it reads from a file: every stored
 * document is then read again from its kept bytes (lib/ingest/reprocess.ts).
 */
export const PARSER_VERSION = 2;

/** Reads any supported file into text blocks; the format is decided from the bytes and the name. */
export async function parseFile(
  bytes: Uint8Array,
  filename: string,
): Promise<ParsedDocument & { format: Format }> {
  const format = detectFormat(bytes, filename);
  return { ...(await parseAs(format, bytes, filename)), format };
}

/** Reads bytes whose format is already known (detected at upload). */
export async function parseAs(format: Format, bytes: Uint8Array, filename: string): Promise<ParsedDocument> {
  const text = () => new TextDecoder().decode(bytes);
  switch (format) {
    case "pdf":
      return parsePdf(bytes, filename);
    case "docx":
      return parseDocx(bytes, filename);
    case "html":
      return parseHtml(text());
    case "markdown":
      return parseMarkdown(text());
    case "csv":
      return parseCsv(text(), filename);
    case "json":
      return parseJson(text(), filename);
    case "text":
      return parseText(text());
  }
}
