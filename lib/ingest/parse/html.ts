import { Parser } from "htmlparser2";
import { normalizeText } from "../normalize";
import type { Block, ParsedDocument } from "./types";

/** Elements whose text is never shown to a reader. */
const HIDDEN = new Set(["script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"]);
/** Elements that end a paragraph. */
const BLOCK = new Set([
  "p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "li", "ul", "ol",
  "dl", "dt", "dd", "pre", "blockquote", "figure", "figcaption", "table", "tr", "form", "fieldset",
  "address", "details", "summary", "hr", "body", "html",
]);
const HEADING = /^h([1-6])$/;

/**
 * HTML (and DOCX, which mammoth turns into HTML) to blocks: hidden content
 * dropped, h1–h6 kept as the heading path, table rows as "cell | cell" lines.
 */
export function parseHtml(source: string): ParsedDocument {
  const blocks: Block[] = [];
  const headings: string[] = [];
  let title: string | undefined;
  let hiddenDepth = 0;
  let inTitle = false;
  let titleText = "";
  let heading: { level: number; text: string } | undefined;
  let text = "";
  let rowCells: string[] | undefined;

  const flush = () => {
    const clean = normalizeText(text);
    text = "";
    if (clean) blocks.push({ text: clean, headings: [...headings] });
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "title") inTitle = true;
        if (HIDDEN.has(name)) {
          hiddenDepth++;
          return;
        }
        if (hiddenDepth > 0) return;
        const level = name.match(HEADING)?.[1];
        if (level) {
          flush();
          heading = { level: Number(level), text: "" };
        } else if (name === "tr") {
          flush();
          rowCells = [];
        } else if ((name === "td" || name === "th") && rowCells) {
          text = "";
        } else if (name === "br") {
          text += "\n";
        } else if (BLOCK.has(name)) {
          flush();
        }
      },
      ontext(data) {
        if (inTitle) titleText += data;
        if (hiddenDepth > 0) return;
        if (heading) heading.text += data;
        else text += data;
      },
      onclosetag(name) {
        if (name === "title") {
          inTitle = false;
          title = normalizeText(titleText) || undefined;
        }
        if (HIDDEN.has(name)) {
          hiddenDepth = Math.max(0, hiddenDepth - 1);
          return;
        }
        if (hiddenDepth > 0) return;
        if (heading && HEADING.test(name)) {
          const clean = normalizeText(heading.text).replace(/\s+/g, " ");
          headings.splice(heading.level - 1, headings.length, clean);
          for (let i = 0; i < headings.length; i++) headings[i] ??= "";
          heading = undefined;
        } else if ((name === "td" || name === "th") && rowCells) {
          rowCells.push(normalizeText(text).replace(/\s+/g, " "));
          text = "";
        } else if (name === "tr" && rowCells) {
          text = rowCells.filter(Boolean).join(" | ");
          rowCells = undefined;
          flush();
        } else if (BLOCK.has(name)) {
          flush();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  flush();
  const firstHeading = blocks.find((b) => b.headings.length > 0)?.headings[0];
  return {
    title: title ?? (firstHeading || undefined),
    blocks: blocks.map((b) => ({ ...b, headings: b.headings.filter(Boolean) })),
  };
}
