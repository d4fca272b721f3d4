import { normalizeCode, normalizeText } from "../normalize";
import type { Block } from "./types";

/** A block before it is placed under the heading path: each kind keeps its own fields. */
type WithoutHeadings<T> = T extends unknown ? Omit<T, "headings"> : never;
type Content = WithoutHeadings<Block>;

/**
 * Collects a document's blocks under its current heading path, the way every
 * reader (HTML, Markdown, PDF) meets them: a heading of level n replaces the
 * path from level n down; blocks take the path they were found under.
 */
export class BlockBuilder {
  readonly blocks: Block[] = [];
  private path: string[] = [];
  private tables = 0;
  /** The last heading, until a block comes under it. */
  private bare: { level: number; text: string; page?: number } | undefined;

  /** `page`: where the heading stands, should it turn out to head nothing and be kept as text. */
  heading(level: number, text: string, page?: number): void {
    const clean = normalizeText(text).replace(/\s+/g, " ");
    if (!clean) return;
    // A heading followed straight by one of its own level or higher heads no
    // section (an author line under a title, an empty "Syntax" section): it is
    // kept as a line of text, where it stands, rather than lost.
    if (this.bare && level <= this.bare.level) {
      const orphan = this.bare;
      this.path = this.path.slice(0, orphan.level - 1);
      this.bare = undefined;
      this.add({ kind: "paragraph", text: orphan.text, ...(orphan.page !== undefined && { page: orphan.page }) });
    }
    this.bare = { level, text: clean, page };
    // A skipped level (an h3 straight under an h1) leaves a hole rather than shifting the heading up a level.
    this.path.length = Math.min(this.path.length, level - 1);
    while (this.path.length < level - 1) this.path.push("");
    this.path.push(clean);
  }

  add(block: Content): void {
    const text = block.kind === "code" ? trimCode(block.text) : normalizeText(block.text);
    if (!/[\p{L}\p{N}]/u.test(text) && block.kind !== "code") return;
    if (text === "") return;
    this.blocks.push({ ...block, text, headings: this.path.filter(Boolean) } as Block);
    this.bare = undefined;
  }

  /** How many levels the heading path has now. */
  get depth(): number {
    return this.path.length;
  }

  /** Leaves the headings below `depth` (a definition list's terms, once the list ends). */
  truncate(depth: number): void {
    if (this.bare && this.bare.level > depth) {
      const orphan = this.bare;
      this.path = this.path.slice(0, orphan.level - 1);
      this.bare = undefined;
      this.add({ kind: "paragraph", text: orphan.text, ...(orphan.page !== undefined && { page: orphan.page }) });
    }
    this.path.length = Math.min(this.path.length, depth);
  }

  /** A number shared by the rows of one table. */
  newTable(): number {
    return ++this.tables;
  }

  /** The first heading met: a title for documents that name none otherwise. */
  get firstHeading(): string | undefined {
    return this.blocks.find((b) => b.headings.length > 0)?.headings[0];
  }
}

/** Code keeps its indentation and line breaks; only blank lines around it go. */
function trimCode(text: string): string {
  return normalizeCode(text).replace(/^(?:[^\S\n]*\n)+/, "").trimEnd();
}
