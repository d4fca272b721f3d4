import { marked, type Token, type Tokens } from "marked";
import { normalizeText } from "../normalize";
import type { Block, ParsedDocument } from "./types";

/**
 * Markdown through marked's lexer: headings become the heading path of the
 * blocks under them; paragraphs, lists, tables, quotes and code are blocks.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const blocks: Block[] = [];
  const headings: string[] = [];
  let title: string | undefined;
  for (const token of marked.lexer(source)) {
    if (token.type === "heading") {
      const { depth, text } = token as Tokens.Heading;
      const heading = normalizeText(plain(text));
      headings.splice(depth - 1, headings.length, heading);
      // Keep the path dense when a level is skipped (# then ###).
      for (let i = 0; i < headings.length; i++) headings[i] ??= "";
      title ??= heading;
      continue;
    }
    const text = blockText(token);
    if (text) blocks.push({ text, headings: headings.filter(Boolean) });
  }
  return { title, blocks };
}

function blockText(token: Token): string {
  switch (token.type) {
    case "space":
    case "hr":
    case "def":
      return "";
    case "table": {
      const table = token as Tokens.Table;
      const header = table.header.map((cell) => plain(cell.text));
      const rows = table.rows.map((row) => row.map((cell, i) => `${header[i] ?? ""}: ${plain(cell.text)}`).join("; "));
      return normalizeText(rows.join("\n"));
    }
    case "code":
      return normalizeText((token as Tokens.Code).text);
    default:
      return normalizeText(plain("text" in token && typeof token.text === "string" ? token.text : token.raw));
  }
}

/** Inline markdown to plain words: links keep their text, emphasis marks go. */
function plain(inline: string): string {
  return inline
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_|~~|`)(?=\S)([^]*?\S)\1/g, "$2")
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, "")
    .replace(/^\s*>\s?/gm, "");
}
