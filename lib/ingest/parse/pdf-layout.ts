/**
 * Reading order and paragraphs from positioned text, the way a person reads a
 * printed page. A PDF holds no paragraphs, only pieces of text placed on a
 * page; this module rebuilds what the typesetter had:
 *
 * 1. rows of text on one baseline (superscripts included), cut into segments
 *    where a wide gap separates them;
 * 2. columns, from a gutter that many rows leave empty at the same place;
 *    bands of two-column rows are read left column first;
 * 3. running headers, footers and page numbers (the same line at the same
 *    place page after page, or a number where page numbers stand) are dropped;
 * 4. lines joined into paragraphs by line spacing, indentation, font size and
 *    whether the next line's first word would have fitted on the line before;
 *    words hyphenated at a line end rejoined; tables of contents dropped;
 *    headings found by size; code kept line by line; footnotes moved after
 *    their page's text.
 */

/** A piece of text as pdf.js places it: baseline origin, advance width, font size. */
export interface Fragment {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
  font: string;
  monospace: boolean;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  fragments: Fragment[];
}

/** A heading from the PDF's outline (bookmarks), matched to its page. */
export interface OutlineHeading {
  title: string;
  level: number;
  page: number;
}

export interface Line {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  font: string;
  monospace: boolean;
  page: number;
  /** The font size, which is an em: the unit for indents and for the "would the next word have fitted" test. */
  em: number;
  /** The line's parts that wide gaps separate (tab stops, table cells), and where each starts. */
  segments: string[];
  segmentStarts: number[];
  /** In a monospaced line, the width of one character: spaces in code are counted from it. */
  charWidth?: number;
}

export type LaidOutBlock =
  | { kind: "heading"; level: number; text: string; page: number }
  | { kind: "paragraph"; text: string; page: number }
  | { kind: "list-item"; text: string; page: number; /** Where its mark stands: deeper items stand further right. */ x: number }
  | { kind: "code"; text: string; page: number }
  | { kind: "table-row"; cells: string[]; text: string; page: number; /** Rows of one table share it. */ table: number };

interface Row {
  y: number;
  segments: Segment[];
}

interface Segment {
  fragments: Fragment[];
  x: number;
  right: number;
}

const BULLET = /^(?:[•◦▪▫‣⁃∙·●○■□–—*-]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+\S/;
const SENTENCE_END = /[.!?:;]["'”’)\]]*$/;

// ---------------------------------------------------------------- rows

/**
 * Pieces on one baseline. Two pieces that overlap left to right are never on
 * one row (they are lines of one column, however close), so a large heading
 * in one column does not fuse two lines of the other. Smaller pieces raised
 * or lowered off a baseline (a footnote mark, the raised "A" of the LaTeX
 * logo) join the row they sit on, the one below them first; small pieces
 * away from any row (a footnote's text) form rows of their own.
 */
export function rowsOf(fragments: Fragment[]): Row[] {
  const visible = fragments.filter((f) => f.text.trim() !== "");
  const sizes = visible.map((f) => f.size).sort((a, b) => a - b);
  const typical = sizes[Math.floor(sizes.length / 2)] ?? 10;
  const small = (f: Fragment) => f.size < typical * 0.85;
  const rows = group(visible.filter((f) => !small(f)));
  const unplaced: Fragment[] = [];
  for (const fragment of visible.filter(small)) {
    const beside = (row: Grouped) => row.fragments.some((f) => fragment.x < f.x + f.width + f.size && fragment.x + fragment.width > f.x - f.size);
    const below = rows.filter((row) => row.y <= fragment.y + 0.2 * fragment.size && fragment.y - row.y <= 0.75 * row.size && beside(row));
    const above = rows.filter((row) => row.y > fragment.y && row.y - fragment.y <= 0.5 * row.size && beside(row));
    const target = below.sort((a, b) => b.y - a.y)[0] ?? above.sort((a, b) => a.y - b.y)[0];
    if (target) target.fragments.push(fragment);
    else unplaced.push(fragment);
  }
  return [...rows, ...group(unplaced)]
    .sort((a, b) => b.y - a.y)
    .map((row) => ({ y: row.y, segments: segmentsOf(row.fragments) }));
}

interface Grouped {
  y: number;
  size: number;
  fragments: Fragment[];
}

function group(fragments: Fragment[]): Grouped[] {
  const rows: Grouped[] = [];
  for (const fragment of [...fragments].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const row = rows.at(-1);
    // Kerning tucks a letter under its neighbour (the LaTeX logo); lines of one column overlap by far more.
    const overlaps = row?.fragments.some(
      (f) => Math.min(f.x + f.width, fragment.x + fragment.width) - Math.max(f.x, fragment.x) > Math.max(fragment.size, 0.5 * Math.min(f.width, fragment.width)),
    );
    if (row && !overlaps && Math.abs(row.y - fragment.y) <= 0.5 * Math.max(row.size, fragment.size)) {
      row.fragments.push(fragment);
    } else {
      rows.push({ y: fragment.y, size: fragment.size, fragments: [fragment] });
    }
  }
  return rows;
}

/** Cuts a row where a gap wider than two spaces of its font separates its pieces (columns, tab stops, a table's cells). */
function segmentsOf(fragments: Fragment[]): Segment[] {
  const sorted = [...fragments].sort((a, b) => a.x - b.x);
  const segments: Segment[] = [];
  for (const fragment of sorted) {
    const current = segments.at(-1);
    if (current && fragment.x - current.right < 1.2 * Math.max(fragment.size, 1)) {
      current.fragments.push(fragment);
      current.right = Math.max(current.right, fragment.x + fragment.width);
    } else {
      segments.push({ fragments: [fragment], x: fragment.x, right: fragment.x + fragment.width });
    }
  }
  return segments;
}

/**
 * The text of pieces read left to right, with a space where the gap between
 * them is one; in monospaced text (code), as many spaces as fit the gap, so
 * aligned comments stay aligned.
 */
function joinFragments(fragments: Fragment[], charWidth?: number): string {
  const sorted = [...fragments].filter((f) => charWidth === undefined || f.text.trim() !== "").sort((a, b) => a.x - b.x);
  let text = "";
  let end = -Infinity;
  for (const fragment of sorted) {
    const gap = fragment.x - end;
    if (charWidth !== undefined) {
      if (text) text += " ".repeat(Math.max(0, Math.round(gap / charWidth)));
    } else if (text && gap > 0.15 * fragment.size && !/\s$/.test(text) && !/^\s/.test(fragment.text)) {
      text += " ";
    }
    text += fragment.text;
    end = Math.max(end, fragment.x + fragment.width);
  }
  return charWidth === undefined ? text.replace(/\s+/g, " ").trim() : text.trimEnd();
}

/** A line's baseline and size are those of its main text, not of a superscript or a heading in the other column. */
function lineOf(segments: Segment[], page: number): Line {
  const fragments = segments.flatMap((s) => s.fragments);
  const chars = (f: Fragment) => f.text.replace(/\s/g, "").length;
  const main = [...fragments].sort((a, b) => chars(b) * b.size - chars(a) * a.size)[0]!;
  const y = main.y;
  const x = Math.min(...fragments.map((f) => f.x));
  const right = Math.max(...fragments.map((f) => f.x + f.width));
  const visible = fragments.filter((f) => f.text.trim() !== "");
  const monospace = visible.length > 0 && visible.every((f) => f.monospace);
  const charWidth = monospace ? visible.reduce((sum, f) => sum + f.width, 0) / visible.reduce((sum, f) => sum + f.text.length, 0) : undefined;
  return {
    text: joinFragments(fragments, charWidth),
    x,
    right,
    y,
    size: main.size,
    font: main.font,
    monospace,
    page,
    em: main.size,
    segments: segments.map((s) => joinFragments(s.fragments)),
    segmentStarts: segments.map((s) => s.x),
    charWidth,
  };
}

// ---------------------------------------------------------------- columns

/**
 * The lines of a page in reading order. A gutter is an x position that many
 * rows have text on both sides of and no text across; rows around it form
 * bands read left column first. Rows that run across it (a title, a wide
 * figure) are read where they stand.
 */
export function readingOrder(page: PdfPage, rows: Row[]): Line[] {
  const gutter = findGutter(page, rows);
  const lines: Line[] = [];
  let left: Line[] = [];
  let right: Line[] = [];
  const endBand = () => {
    lines.push(...left, ...right);
    left = [];
    right = [];
  };
  for (const row of rows) {
    if (gutter === undefined || row.segments.some((s) => s.x < gutter && s.right > gutter)) {
      endBand();
      lines.push(lineOf(row.segments, page.number));
      continue;
    }
    const leftSegments = row.segments.filter((s) => s.right <= gutter);
    const rightSegments = row.segments.filter((s) => s.x >= gutter);
    if (leftSegments.length) left.push(lineOf(leftSegments, page.number));
    if (rightSegments.length) right.push(lineOf(rightSegments, page.number));
  }
  endBand();
  return lines;
}

/**
 * The gutter of a two-column page, found from the right column's margin: a
 * place in the middle of the page where much text starts (weighted by the
 * width of what starts there, so a table of contents' page numbers do not
 * count like lines of text) with an empty strip before it; of several, the
 * leftmost, since paragraph indents and hanging items start right of the
 * margin. A few rows may run across the gutter (a title, a centred page
 * number): they are read where they stand. Both sides must be wide: a list's
 * terms or a table's first cells beside their text are not a column.
 */
export function findGutter(page: PdfPage, rows: Row[]): number | undefined {
  const segments = rows.flatMap((row) => row.segments);
  const starts = new Map<number, number>();
  for (const s of segments) {
    if (s.x < page.width * 0.3 || s.x > page.width * 0.7) continue;
    const at = Math.round(s.x);
    starts.set(at, (starts.get(at) ?? 0) + (s.right - s.x));
  }
  const strongest = Math.max(0, ...starts.values());
  const candidates = [...starts].filter(([, weight]) => weight >= strongest * 0.15).map(([x]) => x).sort((a, b) => a - b);
  for (const margin of candidates) {
    const blocking = rows.filter((row) => row.segments.some((s) => s.x < margin - 1 && s.right > margin - 6)).length;
    if (blocking > rows.length * 0.25) continue;
    const column = segments.filter((s) => Math.abs(s.x - margin) <= 1.5);
    const before = segments.filter((s) => s.right <= margin - 1);
    if (column.length < 5 || before.length < 3) continue;
    const gutter = (Math.max(...before.map((s) => s.right)) + margin) / 2;
    const after = segments.filter((s) => s.x >= gutter);
    const extent = (list: Segment[]) => Math.max(...list.map((s) => s.right)) - Math.min(...list.map((s) => s.x));
    if (extent(before) < page.width * 0.2 || extent(after) < page.width * 0.2) continue;
    return gutter;
  }
  return undefined;
}

// ---------------------------------------------------------------- headers and footers

/** What stays the same from page to page: case, spacing, and every number (a page number, a date) aside. */
const shape = (text: string) => text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
const PAGE_NUMBER = /^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/**
 * Drops running headers, footers and page numbers: lines in the top or bottom
 * margin band that repeat (numbers aside) on several pages at the same
 * height, that carry a number counting up with the pages, or that are a bare
 * page number.
 */
export function withoutRunningLines(pages: Line[][], pageHeights: number[]): Line[][] {
  const band = (line: Line, pageIndex: number) => {
    const height = pageHeights[pageIndex]!;
    if (line.y > height * 0.88) return "top";
    if (line.y < height * 0.12) return "bottom";
    return undefined;
  };
  const marginLines = pages.map((lines, i) => lines.filter((line) => band(line, i) !== undefined));
  const repeats = new Map<string, Set<number>>();
  marginLines.forEach((lines, i) => {
    for (const line of lines) {
      const key = `${band(line, i)}|${Math.round(line.y / 3)}|${shape(line.text)}`;
      repeats.set(key, (repeats.get(key) ?? new Set()).add(i));
    }
  });
  // A number standing apart at a line's end (or start) that rises with the page index by a fixed offset is a page number.
  const pageNumber = (line: Line) => {
    if (line.segments.length < 2) return undefined;
    const edge = [line.segments[0]!, line.segments.at(-1)!].find((segment) => /^\d{1,4}$/.test(segment.trim()));
    return edge === undefined ? undefined : Number(edge);
  };
  const offsets = new Map<string, number>();
  marginLines.forEach((lines, i) => {
    for (const line of lines) {
      const number = pageNumber(line);
      if (number === undefined) continue;
      const key = `${band(line, i)}|${i - number}`;
      offsets.set(key, (offsets.get(key) ?? 0) + 1);
    }
  });
  const minRepeats = Math.max(2, Math.ceil(pages.length * 0.3));
  return pages.map((lines, i) =>
    lines.filter((line) => {
      const where = band(line, i);
      if (!where) return true;
      if (PAGE_NUMBER.test(line.text.trim())) return false;
      if ((repeats.get(`${where}|${Math.round(line.y / 3)}|${shape(line.text)}`)?.size ?? 0) >= Math.min(minRepeats, pages.length)) {
        return pages.length < 2 ? true : false;
      }
      const number = pageNumber(line);
      if (number !== undefined && pages.length >= 3 && (offsets.get(`${where}|${i - number}`) ?? 0) >= 3) return false;
      return true;
    }),
  );
}

// ---------------------------------------------------------------- paragraphs

export interface LayoutOptions {
  outline: OutlineHeading[];
}

/**
 * Lines (every page's, in reading order, running lines removed) to blocks:
 * paragraphs, list items, headings and code, with footnotes after the text of
 * their page and a paragraph that runs on to the next page kept whole.
 */
export function blocksOf(pages: Line[][], options: LayoutOptions): LaidOutBlock[] {
  const all = pages.flat();
  const bodySize = bodyFontSize(pages);
  const spacing = typicalSpacing(pages, bodySize);
  const headingSizes = [...new Set(all.map((l) => round(l.size)).filter((size) => size > bodySize * 1.05))].sort((a, b) => b - a);
  const outline = options.outline.map((h) => ({ ...h, key: comparable(h.title) }));
  const vocabulary = wordCounts(all.map((l) => l.text));
  const rightEdge = columnEdges(all);

  const blocks: LaidOutBlock[] = [];
  let open: { lines: Line[]; kind: "paragraph" | "list-item" | "code" } | undefined;
  /** Footnotes wait for the paragraph open at their page's end to close. */
  let footnotes: LaidOutBlock[] = [];

  const close = () => {
    if (open) blocks.push(finish(open.kind, open.lines, vocabulary));
    open = undefined;
    blocks.push(...footnotes);
    footnotes = [];
  };

  let tables = 0;
  /** The last table row, and the line it last grew by: a cell's text may wrap onto lines of its own. */
  let lastRow: { line: Line; block: Extract<LaidOutBlock, { kind: "table-row" }>; last: Line } | undefined;
  for (const lines of pages) {
    const body = withoutTableOfContents(lines);
    const notes = footnoteLines(body, bodySize);
    const main = body.filter((line) => !notes.has(line));
    for (let i = 0; i < main.length; i++) {
      const line = main[i]!;
      if (tabular(line, main[i - 1]) || tabular(line, main[i + 1])) {
        close();
        if (!lastRow || !tabular(line, lastRow.line)) tables++;
        const block = { kind: "table-row" as const, cells: [...line.segments], text: line.segments.join(" | "), page: line.page, table: tables };
        blocks.push(block);
        lastRow = { line, block, last: line };
        continue;
      }
      const cellStart = lastRow?.line.segmentStarts.at(-1);
      if (lastRow && cellStart !== undefined && Math.abs(line.x - cellStart) < 3 && line.page === lastRow.last.page && lastRow.last.y - line.y < spacing(line.size) * 1.45) {
        const cells = lastRow.block.cells;
        cells[cells.length - 1] = joinLine(cells.at(-1)!, line.text, vocabulary);
        lastRow.block.text = cells.join(" | ");
        lastRow.last = line;
        continue;
      }
      lastRow = undefined;
      const level = headingLevel(line, bodySize, headingSizes, outline);
      if (level) {
        // A heading set on several lines ("3 Changes from older Ver-" / "sions") is one heading.
        const parts = [line];
        while (main[i + 1] && continuesHeading(parts.at(-1)!, main[i + 1]!, outline)) parts.push(main[++i]!);
        close();
        blocks.push({ kind: "heading", level, text: parts.reduce((text, part) => joinLine(text, part.text, vocabulary), ""), page: line.page });
        continue;
      }
      const kind = line.monospace ? "code" : BULLET.test(line.text) ? "list-item" : "paragraph";
      const previous = open?.lines.at(-1);
      const continues =
        open !== undefined &&
        previous !== undefined &&
        (kind === "code"
          ? open.kind === "code" && previous.page === line.page && previous.y - line.y < spacing(line.size) * 1.8
          : open.kind !== "code" && kind !== "list-item" && sameParagraph(open.lines, line, main[i + 1], spacing, rightEdge));
      if (continues) {
        open!.lines.push(line);
      } else {
        close();
        open = { lines: [line], kind };
      }
    }
    const pageNotes = paragraphsOfNotes([...notes], vocabulary);
    // A paragraph running on to the next page keeps this page's footnotes until it ends.
    if (open) footnotes.push(...pageNotes);
    else blocks.push(...pageNotes);
  }
  close();
  return blocks;
}

/**
 * Whether a line continues the paragraph whose lines come before it. A new
 * paragraph starts after a wide vertical gap, at a change of font size, after
 * a line that ended although the next line's first word would have fitted
 * (its author ended it there), at a first-line indent, or where the text
 * falls back left of the paragraph's lines (the next item of a hanging list).
 * An indented line is a first-line indent when the line after it returns to
 * the margin (unless the line before stopped mid-sentence: then it is the
 * last line of a hanging item), and a hanging item's continuation when it
 * stays indented.
 */
function sameParagraph(
  lines: Line[],
  next: Line,
  afterNext: Line | undefined,
  spacing: (size: number) => number,
  columnEdge: (line: Line) => number,
): boolean {
  const previous = lines.at(-1)!;
  // Across a page break: the paragraph goes on when its last line did not end a sentence and the next starts in lower case.
  if (previous.page !== next.page) return runsOn(previous, next);
  const gap = previous.y - next.y;
  if (gap <= 0 || gap > spacing(previous.size) * 1.45) return false;
  if (Math.abs(previous.size - next.size) > 0.12 * previous.size) return false;
  // The column's right edge: where this paragraph's lines end, or where the document's lines starting there usually end.
  const column = [...lines, next, ...(afterNext ? [afterNext] : [])].filter((l) => l.page === previous.page && Math.abs(l.x - previous.x) < 4 * l.em);
  const rightEdge = Math.max(...column.map((l) => l.right), columnEdge(previous));
  const nextWord = next.text.split(" ", 1)[0]!;
  // An average character is about half an em wide: had the word fitted, the line was ended on purpose.
  if (rightEdge - previous.right > (nextWord.length + 1) * previous.em * 0.5 + previous.em) return false;
  const em = next.em;
  if (next.x > previous.x + 0.5 * em) {
    const staysIndented = afterNext !== undefined && afterNext.page === next.page && Math.abs(afterNext.x - next.x) < 0.5 * em && next.y - afterNext.y < spacing(next.size) * 1.45;
    const indent = next.x - Math.min(...lines.map((l) => l.x));
    // A hanging list item or a label in the margin ("• The macro may be used only if one of the" / "more specific …") runs on.
    if (!staysIndented && indent < 3.2 * em && !runsOn(previous, next)) return false;
  }
  // Back left of the paragraph's body (its lines after the first, which may be indented or hang out): the next item.
  if (lines.length > 1 && next.x < Math.min(...lines.slice(1).map((l) => l.x)) - 0.5 * em) return false;
  return true;
}

/** A line that stops mid-sentence, followed by one that carries on in lower case. */
function runsOn(previous: Line, next: Line): boolean {
  return !SENTENCE_END.test(previous.text) && /^[\p{Ll}\d(“"']/u.test(next.text);
}

/**
 * A table's row: cells apart on the line, starting where the cells of the
 * line next to it start. (A term and its description beside it start the same
 * way row after row, and read fine as a two-column table.)
 */
function tabular(line: Line, neighbour: Line | undefined): boolean {
  if (!neighbour || line.monospace || line.segmentStarts.length < 2 || neighbour.segmentStarts.length < 2) return false;
  if (neighbour.page !== line.page || Math.abs(neighbour.y - line.y) > line.size * 2.5) return false;
  const shared = line.segmentStarts.filter((x) => neighbour.segmentStarts.some((other) => Math.abs(other - x) < 3)).length;
  return shared >= 2;
}

function finish(kind: "paragraph" | "list-item" | "code", lines: Line[], vocabulary: Map<string, number>): Exclude<LaidOutBlock, { kind: "heading" | "table-row" }> {
  const page = lines[0]!.page;
  if (kind === "code") {
    const margin = Math.min(...lines.map((l) => l.x));
    const text = lines.map((l) => `${" ".repeat(Math.max(0, Math.round((l.x - margin) / (l.charWidth ?? l.em * 0.6))))}${l.text}`).join("\n");
    return { kind, text, page };
  }
  let text = "";
  for (const line of lines) text = joinLine(text, line.text, vocabulary);
  if (kind === "list-item") return { kind, text: text.replace(/^(?:[•◦▪▫‣⁃∙·●○■□–—*-])\s+/, ""), page, x: lines[0]!.x };
  return { kind, text, page };
}

/**
 * Joins a line to the text before it. A word hyphenated at the line's end is
 * rejoined ("pro-" + "gramming") unless the document writes it with its
 * hyphen elsewhere ("two-" + "column", as "two-column" appears mid-line).
 */
function joinLine(text: string, line: string, vocabulary: Map<string, number>): string {
  if (!text) return line;
  const hyphenated = text.match(/(\p{L}+)[-\u00AD\u2010]$/u);
  const next = line.match(/^(\p{Ll}+)/u);
  if (hyphenated && next) {
    const joined = `${hyphenated[1]}${next[1]}`.toLowerCase();
    const withHyphen = `${hyphenated[1]}-${next[1]}`.toLowerCase();
    if ((vocabulary.get(withHyphen) ?? 0) > (vocabulary.get(joined) ?? 0)) return `${text}${line}`;
    return `${text.slice(0, -1)}${line}`;
  }
  return `${text} ${line}`;
}

function wordCounts(lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const word of line.toLowerCase().match(/[\p{L}]+(?:-[\p{L}]+)*/gu) ?? []) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      if (word.includes("-")) {
        const joined = word.replace(/-/g, "");
        counts.set(joined, counts.get(joined) ?? 0);
      }
    }
  }
  return counts;
}

/**
 * Where a column's lines end, for a line starting at a given margin: most
 * lines that start near there end at the column's edge (the 80th percentile,
 * so a few wide lines do not move it). A page's last, short lines are then
 * measured against the whole document's column, not against themselves.
 */
function columnEdges(lines: Line[]): (line: Line) => number {
  const byMargin = new Map<number, number[]>();
  for (const line of lines) {
    const key = Math.round(line.x / 10);
    byMargin.set(key, [...(byMargin.get(key) ?? []), line.right]);
  }
  const edges = new Map([...byMargin].map(([key, rights]) => [key, rights.sort((a, b) => a - b)[Math.floor(rights.length * 0.8)]!]));
  return (line) => Math.max(...[-1, 0, 1].map((d) => edges.get(Math.round(line.x / 10) + d) ?? 0));
}

/** The baseline-to-baseline distance of a document's lines of a given size, as set. */
function typicalSpacing(pages: Line[][], bodySize: number): (size: number) => number {
  const gaps = new Map<number, number[]>();
  for (const lines of pages) {
    for (let i = 1; i < lines.length; i++) {
      const [a, b] = [lines[i - 1]!, lines[i]!];
      const gap = a.y - b.y;
      if (round(a.size) === round(b.size) && gap > 0 && gap < a.size * 2) {
        gaps.set(round(a.size), [...(gaps.get(round(a.size)) ?? []), gap]);
      }
    }
  }
  const medians = new Map([...gaps].map(([size, list]) => [size, median(list)]));
  const body = medians.get(round(bodySize)) ?? bodySize * 1.2;
  return (size) => medians.get(round(size)) ?? body * (size / bodySize);
}

// ---------------------------------------------------------------- headings, contents, footnotes

function headingLevel(line: Line, bodySize: number, headingSizes: number[], outline: { key: string; level: number; page: number }[]): number | undefined {
  const key = comparable(line.text);
  const bookmarked = outline.find((h) => h.page === line.page && (key === h.key || stripNumber(key) === h.key));
  if (bookmarked) return bookmarked.level;
  if (line.text.split(" ").length > 14 || /[.,;]$/.test(line.text) || !/\p{L}/u.test(line.text)) return undefined;
  // Larger than the text: the larger, the higher the level.
  const rank = headingSizes.indexOf(round(line.size));
  return rank === -1 || line.size <= bodySize * 1.05 ? undefined : rank + 1;
}

/** The next line of a heading set on several lines: the same size, right below it, and not a heading of its own. */
function continuesHeading(line: Line, next: Line, outline: { key: string; page: number }[]): boolean {
  return (
    round(next.size) === round(line.size) &&
    next.page === line.page &&
    line.y - next.y > 0 &&
    line.y - next.y < line.size * 1.6 &&
    !outline.some((h) => h.page === next.page && h.key === comparable(next.text))
  );
}

function stripNumber(text: string): string {
  return text.replace(/^(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z]\.)\s+/i, "");
}

const comparable = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/**
 * Tables of contents: runs of three or more lines that end in a page number
 * after dot leaders or a wide gap, or whose text is an outline heading
 * followed by a number; with the "Contents" heading above them.
 */
function withoutTableOfContents(lines: Line[]): Line[] {
  const entry = (line: Line) =>
    /(?:\.\s*){3,}\s*(?:\d{1,4}|[ivxlc]{1,6})$/i.test(line.text) ||
    (line.segments.length >= 2 && /^(?:\d{1,4}|[ivxlc]{1,6})$/i.test(line.segments.at(-1)!.trim()) && line.text.length < 90);
  const isEntry = lines.map(entry);
  const drop = new Set<number>();
  for (let i = 0; i < lines.length; ) {
    if (!isEntry[i]) {
      i++;
      continue;
    }
    let end = i;
    // Entries wrap ("II.1. Preprint, reprint, and twocolumn" / "options 1"): a short non-entry line between entries belongs to them.
    while (end + 1 < lines.length && (isEntry[end + 1] || (isEntry[end + 2] && lines[end + 1]!.text.length < 60))) end++;
    if (end - i + 1 >= 3) {
      for (let k = i; k <= end; k++) drop.add(k);
      const title = lines[i - 1];
      if (title && /^(table of )?contents$/i.test(title.text.trim())) drop.add(i - 1);
    }
    i = end + 1;
  }
  return lines.filter((_, i) => !drop.has(i));
}

/**
 * Footnotes: a run of lines set smaller than the body at the foot of a
 * column (the reading order jumps back up after it, or the page ends), the
 * first starting with its mark.
 */
function footnoteLines(lines: Line[], bodySize: number): Set<Line> {
  const notes = new Set<Line>();
  for (let end = 0; end < lines.length; end++) {
    const atFoot = end === lines.length - 1 || lines[end + 1]!.y > lines[end]!.y;
    if (!atFoot || lines[end]!.size >= bodySize * 0.92) continue;
    let start = end;
    while (
      start > 0 &&
      lines[start - 1]!.size < bodySize * 0.92 &&
      lines[start - 1]!.y > lines[start]!.y &&
      lines[start - 1]!.y - lines[start]!.y < lines[start]!.size * 2.5
    ) {
      start--;
    }
    if (/^[\d*†‡§∗¹²³⁴⁵⁶⁷⁸⁹]/u.test(lines[start]!.text)) for (let i = start; i <= end; i++) notes.add(lines[i]!);
  }
  return notes;
}

function paragraphsOfNotes(notes: Line[], vocabulary: Map<string, number>): LaidOutBlock[] {
  const blocks: LaidOutBlock[] = [];
  let current: Line[] = [];
  for (const line of notes) {
    if (current.length > 0 && /^[\d*†‡§∗¹²³⁴⁵⁶⁷⁸⁹]/u.test(line.text) && line.x <= current[0]!.x + 1) {
      blocks.push(finish("paragraph", current, vocabulary));
      current = [];
    }
    current.push(line);
  }
  if (current.length) blocks.push(finish("paragraph", current, vocabulary));
  return blocks;
}

// ---------------------------------------------------------------- helpers

function round(size: number): number {
  return Math.round(size * 2) / 2;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function mostCommon(weighted: (readonly [number, number])[]): number | undefined {
  const totals = new Map<number, number>();
  for (const [value, weight] of weighted) totals.set(value, (totals.get(value) ?? 0) + weight);
  return [...totals].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * The most prominent line of the first page: the largest text in its upper
 * half, with the lines of the same size right under it (a title set on two
 * lines).
 */
export function prominentTitle(page: Line[], pageHeight: number, bodySize: number): string | undefined {
  const upper = page.filter((l) => l.y > pageHeight * 0.4 && /\p{L}/u.test(l.text));
  if (upper.length === 0) return undefined;
  const largest = Math.max(...upper.map((l) => round(l.size)));
  if (largest <= bodySize * 1.1) return undefined;
  const start = upper.findIndex((l) => round(l.size) === largest);
  const lines = [upper[start]!];
  for (const line of upper.slice(start + 1)) {
    if (round(line.size) !== largest || lines.at(-1)!.y - line.y > line.size * 1.8) break;
    lines.push(line);
  }
  return lines.map((l) => l.text).join(" ");
}

export function bodyFontSize(pages: Line[][]): number {
  return mostCommon(pages.flat().filter((l) => !l.monospace).map((l) => [round(l.size), l.text.length] as const)) ?? 10;
}
