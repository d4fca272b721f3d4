import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PDFDocumentProxy } from "pdfjs-dist";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { InputError } from "../../errors";
import { normalizeText } from "../normalize";
import { BlockBuilder } from "./builder";
import {
  blocksOf,
  bodyFontSize,
  prominentTitle,
  readingOrder,
  rowsOf,
  withoutRunningLines,
  type Fragment,
  type Line,
  type OutlineHeading,
} from "./pdf-layout";
import type { ParsedDocument } from "./types";

/**
 * PDF through Mozilla's pdf.js, which places each piece of text on its page;
 * lib/ingest/parse/pdf-layout.ts rebuilds the reading order and paragraphs
 * from those positions. Every block knows the page it starts on.
 */
export async function parsePdf(bytes: Uint8Array, filename: string): Promise<ParsedDocument> {
  let pdf: PDFDocumentProxy;
  try {
    pdf = await getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const reason = (error as Error).name === "PasswordException" ? "it is password-protected" : (error as Error).message;
    throw new InputError("invalid_file", `${filename} could not be read as a PDF: ${reason}.`, 422);
  }
  try {
    const pages: Line[][] = [];
    const heights: number[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const [, , width, height] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const fragments = content.items.flatMap((item): Fragment[] => {
        if (!("str" in item)) return [];
        const [a, b, c, d, x, y] = (item as TextItem).transform as number[];
        // Rotated text (a stamp in the margin, a sideways table) is not part of the page's reading flow.
        if (Math.abs(b!) > 0.01 || Math.abs(c!) > 0.01 || a! <= 0) return [];
        return [
          {
            text: item.str,
            x: x!,
            y: y!,
            width: item.width,
            size: Math.abs(d!) || item.height,
            font: item.fontName,
            monospace: content.styles[item.fontName]?.fontFamily === "monospace",
          },
        ];
      });
      const pageInfo = { number, width, height, fragments };
      pages.push(readingOrder(pageInfo, rowsOf(fragments)));
      heights.push(height);
      page.cleanup();
    }
    const body = withoutRunningLines(pages, heights);
    const outline = await outlineHeadings(pdf);
    const builder = new BlockBuilder();
    /** The marks of the list items met so far, outermost first: an item whose mark stands further right nests. */
    let marks: number[] = [];
    let table: { number: number; id: number } | undefined;
    for (const block of blocksOf(body, { outline })) {
      if (block.kind !== "list-item") marks = [];
      if (block.kind === "heading") builder.heading(block.level, block.text, block.page);
      else if (block.kind === "list-item") {
        while (marks.length > 0 && block.x < marks.at(-1)! - 2) marks.pop();
        if (marks.length === 0 || block.x > marks.at(-1)! + 2) marks.push(block.x);
        builder.add({ kind: "list-item", text: block.text, depth: marks.length - 1, ordered: /^\(?\w{1,4}[.)]\s/.test(block.text), page: block.page });
      } else if (block.kind === "table-row") {
        if (block.table !== table?.number) table = { number: block.table, id: builder.newTable() };
        builder.add({ kind: "table-row", text: block.text, cells: block.cells, table: table.id, header: false, page: block.page });
      } else builder.add({ kind: block.kind, text: block.text, page: block.page });
    }
    if (builder.blocks.length === 0) {
      throw new InputError(
        "empty_content",
        `${filename} has no extractable text: it is probably scanned images, which need OCR first.`,
        422,
      );
    }
    const title =
      (await metadataTitle(pdf)) ??
      (body[0] ? prominentTitle(body[0], heights[0]!, bodyFontSize(body)) : undefined) ??
      runningTitle(pages[0] ?? [], body[0] ?? []);
    return { title, blocks: builder.blocks };
  } finally {
    await pdf.destroy();
  }
}

/** The Title in the document's properties, unless it is a placeholder a tool put there. */
async function metadataTitle(pdf: PDFDocumentProxy): Promise<string | undefined> {
  const metadata = await pdf.getMetadata().catch(() => undefined);
  const info = metadata?.info as { Title?: unknown } | undefined;
  const title = typeof info?.Title === "string" ? normalizeText(info.Title) : "";
  if (!title || /^(untitled|title|document\d*|microsoft word - .*|.*\.(docx?|pdf|tex|dvi|indd))$/i.test(title)) return undefined;
  return title;
}

/**
 * A manual page names itself only in its running header ("BASH(1)  General
 * Commands Manual  BASH(1)"): its first part, when the first page's header was
 * dropped as running.
 */
function runningTitle(all: Line[], kept: Line[]): string | undefined {
  const header = all.find((line) => !kept.includes(line));
  if (!header || header.y < (all[0]?.y ?? 0) - 1) return undefined;
  const first = header.segments[0]?.trim();
  return first && /\p{L}/u.test(first) ? first : undefined;
}

/** The outline (bookmarks) as headings with their pages; a PDF without one gives none. */
async function outlineHeadings(pdf: PDFDocumentProxy): Promise<OutlineHeading[]> {
  const outline = await pdf.getOutline().catch(() => null);
  if (!outline) return [];
  const headings: OutlineHeading[] = [];
  const visit = async (items: NonNullable<typeof outline>, level: number) => {
    for (const item of items) {
      try {
        const destination = typeof item.dest === "string" ? await pdf.getDestination(item.dest) : item.dest;
        const target = destination?.[0];
        const page = target && typeof target === "object" ? (await pdf.getPageIndex(target)) + 1 : typeof target === "number" ? target + 1 : undefined;
        if (page) headings.push({ title: normalizeText(item.title), level, page });
      } catch {
        // A bookmark pointing nowhere names no heading.
      }
      if (item.items?.length) await visit(item.items, level + 1);
    }
  };
  await visit(outline, 1);
  return headings;
}
