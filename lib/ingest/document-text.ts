import type { BlockContent, List, ListItem as MdListItem, PhrasingContent, Root, RootContent, Table, TableRow as MdTableRow } from "mdast";
import { gfmTableToMarkdown } from "mdast-util-gfm-table";
import { toMarkdown } from "mdast-util-to-markdown";
import type { Block, ListItem, TableRow } from "./parse";

/**
 * The whole extracted text as a person reads it, written as Markdown:
 * headings where their sections start, paragraphs, nested lists, tables and
 * fenced code blocks. Built as a Markdown syntax tree and serialized by
 * mdast-util-to-markdown, so characters in the text that Markdown would read
 * as syntax (a leading "#", "*", "|") are escaped rather than reinterpreted.
 */
export function documentText(blocks: Block[], options: { shownHeadings?: string[] } = {}): string {
  const root: Root = { type: "root", children: [] };
  /** Headings already on screen: those of the block before these, when the text shown starts mid-document. */
  let previous: string[] = options.shownHeadings ?? [];
  for (let i = 0; i < blocks.length; ) {
    const block = blocks[i]!;
    const shared = previous.findIndex((heading, level) => block.headings[level] !== heading);
    const from = shared === -1 ? previous.length : shared;
    block.headings.slice(from).forEach((heading, level) => {
      root.children.push({ type: "heading", depth: Math.min(6, from + level + 1) as 1, children: [{ type: "text", value: heading }] });
    });
    previous = block.headings;

    // Runs of list items and of one table's rows become one list or table.
    let end = i + 1;
    const sameRun = (next: Block) =>
      next.headings === block.headings || JSON.stringify(next.headings) === JSON.stringify(block.headings);
    if (block.kind === "list-item") {
      while (end < blocks.length && blocks[end]!.kind === "list-item" && sameRun(blocks[end]!)) end++;
      for (const list of lists(blocks.slice(i, end) as ListItem[])) root.children.push(list);
    } else if (block.kind === "table-row") {
      while (end < blocks.length && blocks[end]!.kind === "table-row" && (blocks[end] as TableRow).table === block.table) end++;
      root.children.push(table(blocks.slice(i, end) as TableRow[]));
    } else if (block.kind === "code") {
      root.children.push({ type: "code", lang: block.language ?? null, value: block.text });
    } else {
      root.children.push({ type: "paragraph", children: phrasing(block.text) });
    }
    i = end;
  }
  return toMarkdown(root, { extensions: [gfmTableToMarkdown()], bullet: "-", fences: true, rule: "-" }).trim();
}

/** Text with its line breaks kept as Markdown hard breaks (a bare newline would read as a space). */
function phrasing(text: string): PhrasingContent[] {
  return text.split("\n").flatMap((line, i): PhrasingContent[] => (i === 0 ? [{ type: "text", value: line }] : [{ type: "break" }, { type: "text", value: line }]));
}

/** Items at depth d + 1 nest inside the item before them. */
function lists(items: ListItem[]): RootContent[] {
  const result: RootContent[] = [];
  const open: List[] = [];
  for (const item of items) {
    const depth = Math.min(item.depth, open.length);
    open.length = depth;
    let list: List | undefined;
    if (depth === 0) {
      list = result.at(-1)?.type === "list" && (result.at(-1) as List).ordered === item.ordered ? (result.at(-1) as List) : undefined;
      if (!list) {
        list = { type: "list", ordered: item.ordered, spread: false, children: [] };
        result.push(list);
      }
    } else {
      const parent = open[depth - 1]!.children.at(-1)!;
      const last = parent.children.at(-1);
      list = last?.type === "list" ? last : undefined;
      if (!list) {
        list = { type: "list", ordered: item.ordered, spread: false, children: [] };
        parent.children.push(list);
      }
    }
    const entry: MdListItem = { type: "listItem", spread: false, children: [{ type: "paragraph", children: phrasing(item.text) } as BlockContent] };
    list.children.push(entry);
    open[depth] = list;
  }
  return result;
}

function table(rows: TableRow[]): Table {
  // Not Math.max(...rows): a 200,000-row table overflows the stack as arguments.
  const width = rows.reduce((widest, row) => Math.max(widest, row.cells.length), 0);
  const toRow = (cells: string[]): MdTableRow => ({
    type: "tableRow",
    children: Array.from({ length: width }, (_, i) => ({ type: "tableCell", children: [{ type: "text", value: cells[i] ?? "" }] })),
  });
  // GFM tables need a head row: a table that marks none (a PDF's, a CSV's) shows its first row there, where it usually names the columns.
  return { type: "table", children: rows.map((row) => toRow(row.cells)) };
}
