/** Where a block sits, so a search hit can say where it came from. */
interface BlockBase {
  /**
   * The text as a person reads it: a whole paragraph, list item or table row
   * on one line (a line break only where the document itself breaks one, as
   * <br> does); a code block keeps its lines exactly.
   */
  text: string;
  /** Headings above the block, outermost first. */
  headings: string[];
  /** 1-based PDF page the block starts on. */
  page?: number;
  /** 1-based data row (CSV, JSON arrays). */
  row?: number;
}

export interface Paragraph extends BlockBase {
  kind: "paragraph";
}

export interface ListItem extends BlockBase {
  kind: "list-item";
  /** 0 for a top-level item, 1 for an item of a list inside it, … */
  depth: number;
  ordered: boolean;
}

export interface TableRow extends BlockBase {
  kind: "table-row";
  cells: string[];
  /** Rows of the same table share this number. */
  table: number;
  /** A heading row (th cells, or the table's head). */
  header: boolean;
}

export interface CodeBlock extends BlockBase {
  kind: "code";
  /** The language, when the document names it (class="language-sql", a fenced block's info string). */
  language?: string;
}

export type Block = Paragraph | ListItem | TableRow | CodeBlock;
export type BlockKind = Block["kind"];

export interface ParsedDocument {
  /** A title the file itself gives (HTML <title> or first heading, PDF metadata or most prominent line, Word's core properties). */
  title?: string;
  blocks: Block[];
}

export const formats = ["text", "markdown", "html", "pdf", "docx", "csv", "json"] as const;
export type Format = (typeof formats)[number];
