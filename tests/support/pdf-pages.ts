import { PDFDocument, StandardFonts, type PDFFont } from "pdf-lib";

/**
 * PDFs laid out the way typesetters lay them out, line by line at exact
 * positions (pdf-lib writes them; pdf.js reads them back as it reads any
 * PDF), to pin down each layout the PDF reader has to undo.
 */
export interface PlacedLine {
  text: string;
  x: number;
  y: number;
  size?: number;
  font?: "regular" | "bold" | "mono";
}

export async function layoutPdf(pages: PlacedLine[][], options: { title?: string; width?: number; height?: number } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (options.title !== undefined) pdf.setTitle(options.title);
  const fonts: Record<NonNullable<PlacedLine["font"]>, PDFFont> = {
    regular: await pdf.embedFont(StandardFonts.TimesRoman),
    bold: await pdf.embedFont(StandardFonts.TimesRomanBold),
    mono: await pdf.embedFont(StandardFonts.Courier),
  };
  for (const lines of pages) {
    const page = pdf.addPage([options.width ?? 595, options.height ?? 842]);
    for (const line of lines) page.drawText(line.text, { x: line.x, y: line.y, size: line.size ?? 10, font: fonts[line.font ?? "regular"] });
  }
  return pdf.save();
}

/** Lines of running text from the top of a column down, 12 points apart, as a paragraph is set. */
export function column(x: number, top: number, lines: string[], step = 12): PlacedLine[] {
  return lines.map((text, i) => ({ text, x, y: top - i * step }));
}
