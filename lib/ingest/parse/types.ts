/** A piece of a document's text and where it sits, so a search hit can say where it came from. */
export interface Block {
  text: string;
  /** Headings above the block, outermost first. */
  headings: string[];
  /** 1-based PDF page. */
  page?: number;
  /** 1-based data row (CSV, JSON arrays). */
  row?: number;
}

export interface ParsedDocument {
  /** A title the file itself gives (PDF metadata, HTML <title>, first heading). */
  title?: string;
  blocks: Block[];
}

export const formats = ["text", "markdown", "html", "pdf", "docx", "csv", "json"] as const;
export type Format = (typeof formats)[number];
