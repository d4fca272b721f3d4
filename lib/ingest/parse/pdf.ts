import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { InputError } from "../../errors";
import { normalizeText } from "../normalize";
import type { Block, ParsedDocument } from "./types";

/**
 * PDF through Mozilla's pdf.js, page by page, so every block knows its page.
 * Lines come from pdf.js's end-of-line marks; a vertical gap larger than a
 * line and a half starts a new paragraph.
 */
export async function parsePdf(bytes: Uint8Array, filename: string): Promise<ParsedDocument> {
  let pdf;
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
    const blocks: Block[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      for (const paragraph of paragraphs(content.items.filter((item): item is TextItem => "str" in item))) {
        blocks.push({ text: paragraph, headings: [], page: number });
      }
      page.cleanup();
    }
    if (blocks.length === 0) {
      throw new InputError(
        "empty_content",
        `${filename} has no extractable text: it is probably scanned images, which need OCR first.`,
        422,
      );
    }
    const metadata = await pdf.getMetadata().catch(() => undefined);
    const info = metadata?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === "string" ? normalizeText(info.Title) || undefined : undefined;
    return { title, blocks };
  } finally {
    await pdf.destroy();
  }
}

function paragraphs(items: TextItem[]): string[] {
  const result: string[] = [];
  let paragraph: string[] = [];
  let line = "";
  let lineY: number | undefined;
  let previousY: number | undefined;
  let lineHeight = 0;

  const endLine = () => {
    if (line.trim() === "") return;
    if (previousY !== undefined && lineY !== undefined && lineHeight > 0 && previousY - lineY > lineHeight * 1.5) {
      endParagraph();
    }
    paragraph.push(line.trim());
    previousY = lineY;
    line = "";
  };
  const endParagraph = () => {
    const text = normalizeText(paragraph.join("\n"));
    if (text) result.push(text);
    paragraph = [];
  };

  for (const item of items) {
    const y = item.transform[5] as number;
    if (line === "" || lineY === undefined) lineY = y;
    line += item.str;
    if (item.height > 0) lineHeight = item.height;
    if (item.hasEOL) endLine();
  }
  endLine();
  endParagraph();
  return result;
}
