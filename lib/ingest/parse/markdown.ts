import { marked, type Token, type Tokens } from "marked";
import { visibleHtmlText } from "./html";
import { BlockBuilder } from "./builder";
import type { ParsedDocument } from "./types";

/**
 * Markdown through marked's lexer, block by block as a reader sees it
 * rendered: headings become the heading path; paragraphs, list items (with
 * their nesting), table rows and fenced or indented code are blocks of their
 * own kind; inline markup (emphasis, links, code spans) is reduced to its
 * words, and a paragraph's source line breaks are spaces, as in HTML.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const builder = new BlockBuilder();
  let title: string | undefined;
  const visit = (tokens: Token[], depth = 0) => {
    for (const token of tokens) {
      switch (token.type) {
        case "heading": {
          const heading = inline((token as Tokens.Heading).tokens);
          builder.heading((token as Tokens.Heading).depth, heading);
          title ??= heading.trim() || undefined;
          break;
        }
        case "paragraph":
        case "text":
          builder.add({ kind: "paragraph", text: inline((token as Tokens.Paragraph).tokens ?? [], token.raw) });
          break;
        case "code":
          builder.add({ kind: "code", text: (token as Tokens.Code).text, language: (token as Tokens.Code).lang?.split(/\s/)[0] || undefined });
          break;
        case "list":
          for (const item of (token as Tokens.List).items) {
            const own = item.tokens.filter((t) => t.type !== "list");
            const text = own.map((t) => ("tokens" in t && t.tokens ? inline(t.tokens, t.raw) : t.raw)).join("\n");
            builder.add({ kind: "list-item", text, depth, ordered: (token as Tokens.List).ordered });
            visit(item.tokens.filter((t) => t.type === "list"), depth + 1);
          }
          break;
        case "table": {
          const table = token as Tokens.Table;
          const number = builder.newTable();
          const header = table.header.map((cell) => inline(cell.tokens));
          builder.add({ kind: "table-row", text: header.join(" | "), cells: header, table: number, header: true });
          for (const row of table.rows) {
            const cells = row.map((cell) => inline(cell.tokens));
            builder.add({ kind: "table-row", text: cells.filter(Boolean).join(" | "), cells, table: number, header: false });
          }
          break;
        }
        case "blockquote":
          visit((token as Tokens.Blockquote).tokens, depth);
          break;
        case "html":
          builder.add({ kind: "paragraph", text: visibleHtmlText((token as Tokens.HTML).text) });
          break;
        default:
          // space, hr, def (link definitions): nothing a reader reads.
          break;
      }
    }
  };
  visit(marked.lexer(source));
  return { title, blocks: builder.blocks };
}

/** Inline tokens to the words a reader sees; source line breaks inside a paragraph are spaces. */
function inline(tokens: Token[], fallback = ""): string {
  if (tokens.length === 0) return fallback.replace(/\s*\n\s*/g, " ");
  return tokens
    .map((token): string => {
      switch (token.type) {
        case "br":
          return "\n";
        case "codespan":
          return (token as Tokens.Codespan).text;
        case "image":
          return (token as Tokens.Image).text;
        case "html":
          return "";
        case "escape":
          return (token as Tokens.Escape).text;
        default:
          if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length > 0) return inline(token.tokens);
          return ("text" in token && typeof token.text === "string" ? token.text : token.raw).replace(/\s*\n\s*/g, " ");
      }
    })
    .join("");
}
