import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { BlockBuilder } from "./builder";
import type { ParsedDocument } from "./types";

/**
 * HTML as a person reads it in a browser:
 *
 * - Only the main content. What HTML itself marks as around the content (nav,
 *   header and footer outside the article, aside, navigation and banner
 *   roles, hidden elements, forms) goes first; then Mozilla's Readability, the
 *   extractor behind Firefox's Reader View, decides where the main content is
 *   and which blocks in it are boilerplate (navigation tables, tables of
 *   contents: dense with links, classed like menus). Its verdict is read back
 *   onto the page element by element rather than taking its rewritten HTML,
 *   so headings it drops as duplicates of the title, tables and code stay
 *   exactly as the page has them.
 * - Whitespace by HTML's rules: runs of spaces and line breaks in the source
 *   are one space; a line ends only at a block's end or a <br>; <pre> keeps
 *   every line and becomes a code block.
 * - Headings give the heading path; list items, table rows and code blocks
 *   are blocks of their own kind.
 */

/** Never shown as text. */
const INVISIBLE =
  "script, style, noscript, template, svg, math annotation, canvas, iframe, object, embed, head, link, meta, " +
  "input, select, button, option, datalist, dialog, [hidden]";
/** Around the content by HTML's own semantics, wherever it appears. */
const AROUND_CONTENT =
  "nav, aside, form, [role='navigation'], [role='banner'], [role='contentinfo'], [role='search'], [role='complementary'], " +
  "[role='dialog'], [role='alertdialog'], [role='menu'], [role='menubar'], [role='toolbar']";
/** Cookie and consent banners carry their purpose in their names. */
const CONSENT = /(^|[\s_-])(cookie|consent|gdpr)([\s_-]|$)/i;
/** Permalink marks beside headings: "¶", "#", "§", "🔗". */
const PERMALINK = /^[\s¶#§🔗]*$/u;
const SKIP_LINK = /^\s*skip to (main )?(content|navigation|main)/i;

const HEADING = /^H([1-6])$/;
const PREFORMATTED = new Set(["PRE", "TEXTAREA", "LISTING", "XMP", "PLAINTEXT"]);
const BLOCKS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "CAPTION", "CENTER", "DD", "DETAILS", "DIALOG", "DIR", "DIV", "DL",
  "DT", "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "HEADER", "HGROUP", "HR", "HTML", "LEGEND", "LI", "MAIN",
  "MENU", "NAV", "OL", "P", "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TR", "UL",
]);
/** Boxes whose headings label the box ("Note", "Warning") rather than start a section. */
const ADMONITION = /(^|\s)(note|tip|warning|caution|important|admonition|callout|sidebar|hint|attention|danger|seealso)(\s|$)/i;

/** Notes, warnings and footnotes: part of the article, however many links they hold. */
const ASIDE_CONTENT = /(^|\s)(note|tip|warning|caution|important|admonition|hint|attention|danger|seealso|footnotes?)(\s|$)/i;

const ID = "data-pgrag";

export interface HtmlOptions {
  /** Look for the main content and drop what surrounds it; off for HTML made from a Word document, which has no page around it. */
  mainContentOnly?: boolean;
}

export function parseHtml(source: string, options: HtmlOptions = {}): ParsedDocument {
  const html = /<html[\s>]/i.test(source) ? source : `<!doctype html><html><head></head><body>${source}</body></html>`;
  const { document } = parseHTML(html);
  const pageTitle = document.querySelector("title")?.textContent ?? "";
  removeHidden(document);

  let judge: (element: Element) => Verdict = () => "content";
  if (options.mainContentOnly !== false) {
    removeAroundContent(document);
    judge = mainContent(document);
  }

  let builder = new BlockBuilder();
  render(document.body ?? document.documentElement, builder, judge);
  // A page that is all navigation (a chapter's table of contents) is kept as it is rather than lost.
  if (builder.blocks.length === 0) {
    builder = new BlockBuilder();
    render(document.body ?? document.documentElement, builder, () => "content");
  }
  return { title: chooseTitle(pageTitle, document, builder.firstHeading), blocks: builder.blocks };
}

/**
 * What the page hides from every reader, whatever the spelling: elements and
 * attributes that never show, inline styles and the page's own style sheets
 * that say display: none or visibility: hidden. Text hidden this way is
 * what a page stuffs with keywords or instructions for a model.
 */
function removeHidden(document: Document): void {
  const rules = styleRules([...document.querySelectorAll("style")].map((style) => style.textContent ?? ""));
  // Tabs hide their panels and show the active one with a second rule: such an element stays.
  const shown = (element: Element) => rules.showing.some((selector) => matches(element, selector));
  for (const selector of rules.hiding) {
    try {
      removeAll(document, selector, shown);
    } catch {
      // A selector the DOM cannot match (a pseudo-element): it hides nothing we can find.
    }
  }
  removeAll(document, INVISIBLE);
  removeAll(document, "[style], [aria-hidden]", (element) => !hidesItself(element));
}

function hidesItself(element: Element): boolean {
  return element.getAttribute("aria-hidden")?.trim().toLowerCase() === "true" || visibilityOf(element.getAttribute("style") ?? "") === "hides";
}

type Visibility = "hides" | "shows" | undefined;

/** "DISPLAY : none !important", "visibility:Hidden": declarations as browsers read them, case and spacing aside. */
function visibilityOf(declarations: string): Visibility {
  let verdict: Visibility;
  for (const declaration of declarations.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).replace(/!\s*important/i, "").trim().toLowerCase();
    if (property === "display") verdict = value === "none" ? "hides" : "shows";
    if (property === "visibility") verdict = value === "hidden" || value === "collapse" ? "hides" : "shows";
  }
  return verdict;
}

/**
 * The top-level rules of these style sheets that hide or show what they
 * select. Rules inside @media and other at-rules apply only sometimes (print)
 * and are left alone; beyond "a rule shows it again", there is no cascade.
 */
function styleRules(styleSheets: string[]): { hiding: string[]; showing: string[] } {
  const hiding: string[] = [];
  const showing: string[] = [];
  for (const sheet of styleSheets) {
    const css = sheet.replace(/\/\*[\s\S]*?\*\//g, "");
    let depth = 0;
    let selectorStart = 0;
    let bodyStart = 0;
    for (let i = 0; i < css.length; i++) {
      if (css[i] === "{") {
        if (depth === 0) bodyStart = i + 1;
        depth++;
      } else if (css[i] === "}" && depth > 0) {
        depth--;
        if (depth > 0) continue;
        const selector = css.slice(selectorStart, bodyStart - 1).trim();
        const visibility = selector.startsWith("@") ? undefined : visibilityOf(css.slice(bodyStart, i));
        if (visibility === "hides") hiding.push(selector);
        if (visibility === "shows") showing.push(selector);
        selectorStart = i + 1;
      }
    }
  }
  return { hiding, showing };
}

function matches(element: Element, selector: string): boolean {
  try {
    return element.matches(selector);
  } catch {
    return false;
  }
}

function removeAll(root: ParentNode, selector: string, unless?: (element: Element) => boolean): void {
  for (const element of [...root.querySelectorAll(selector)]) {
    if (!unless?.(element)) element.remove();
  }
}

function removeAroundContent(document: Document): void {
  // An aside that is a note or a footnote (Sphinx sets its footnotes as <aside role="note">) belongs to the article.
  removeAll(document, AROUND_CONTENT, (element) => element.tagName === "ASIDE" && (isNote(element) || [...element.children].some(isNote)));
  // A page's header and footer (site name, menus, copyright) are around the
  // content; an article's own header holds its title and stays.
  removeAll(document, "header, footer", (element) => element.closest("article, main, [role='main']") !== null);
  for (const element of [...document.querySelectorAll("[id], [class]")]) {
    const names = `${element.getAttribute("id") ?? ""} ${element.getAttribute("class") ?? ""}`;
    if (CONSENT.test(names)) element.remove();
  }
  for (const link of [...document.querySelectorAll("a")]) {
    const text = link.textContent ?? "";
    const href = link.getAttribute("href") ?? "";
    const permalink = PERMALINK.test(text) && (href.startsWith("#") || link.classList.contains("headerlink"));
    if (permalink || (href.startsWith("#") && SKIP_LINK.test(text))) link.remove();
  }
}

/** What the walk does with an element: render it, look inside it for content (render its elements, not its own text), or skip it. */
type Verdict = "content" | "around" | "skip";

/**
 * Runs Readability on a copy of the page whose elements carry numbers, and
 * reads its verdict back onto the page: the elements it kept are content,
 * their ancestors merely hold content. Without a verdict (a page too short to
 * judge), everything left after the semantic cleaning is content.
 */
function mainContent(document: Document): (element: Element) => Verdict {
  const elements = [...document.querySelectorAll("body *")];
  elements.forEach((element, i) => element.setAttribute(ID, String(i)));
  let readable: { content?: string | null } | null = null;
  try {
    readable = new Readability(parseHTML(document.toString()).document, { charThreshold: 250, keepClasses: true }).parse();
  } catch {
    readable = null;
  }
  const everything = () => "content" as const;
  if (!readable?.content) return everything;
  const kept = new Set<Element>();
  const verdict = parseHTML(`<!doctype html><html><body>${readable.content}</body></html>`).document;
  for (const element of verdict.querySelectorAll(`[${ID}]`)) {
    const original = elements[Number(element.getAttribute(ID))];
    if (original) kept.add(original);
  }
  if (kept.size === 0) return everything;

  // A header holding the page's own title (not a linked logo) is the article's: its title and summary are read.
  const h1 = document.querySelector("h1");
  const surrounds = (element: Element) => navigationLike(element) && !(h1 && !linkDense(h1) && element.contains(h1));

  // Readability picks one block of a long page and the siblings it rates;
  // a reference page of many sections loses the rest. The article grows to
  // the parent while the parent's other children are more of the same (a
  // section's heading, or mostly prose: text that is not links and not named
  // as navigation) or nothing; it stops where they are menus and link lists.
  const chosen = commonAncestor([...kept]);
  let article = chosen;
  for (let parent = article.parentElement; parent && parent.tagName !== "HTML"; parent = parent.parentElement) {
    const others = [...parent.children].filter((child) => child !== article && !surrounds(child));
    const headed = others.some((child) => HEADING.test(child.tagName) || child.querySelector("h1, h2, h3, h4, h5, h6") !== null);
    const text = others.reduce((sum, child) => sum + (child.textContent ?? "").replace(/\s+/g, "").length, 0);
    const prose = others.reduce((sum, child) => sum + proseLength(child, surrounds), 0);
    if (!headed && text > 0 && prose < text / 2) break;
    article = parent;
  }

  // Content Readability's cleaner drops but a reader reads: within the
  // article, headings, code, data tables, notes and footnotes, and whole titled
  // sections (a "See also" list is dense with links, yet part of the page);
  // anywhere, the page's own <h1>. Beyond the block it chose, every element
  // that does not read as a list of links.
  if (h1) kept.add(h1);
  for (const element of article.querySelectorAll("*")) {
    if (kept.has(element) || withinNavigation(element, article, surrounds)) continue;
    const tag = element.tagName;
    const titledSection = element.firstElementChild !== null && HEADING.test(element.firstElementChild.tagName) && !linkDense(element.firstElementChild);
    const box = isNote(element);
    const beyond =
      !chosen.contains(element) &&
      !linkDense(element) &&
      ![...element.querySelectorAll("*")].some((e) => BLOCKS.has(e.tagName) && (linkDense(e) || surrounds(e)));
    if (HEADING.test(tag) || PREFORMATTED.has(tag) || (tag === "TABLE" && !linkDense(element)) || titledSection || box || beyond) {
      for (const inner of [element, ...element.querySelectorAll("*")]) kept.add(inner);
    }
  }
  const holders = new Set<Element>();
  for (const element of kept) {
    for (let parent = element.parentElement; parent && !holders.has(parent); parent = parent.parentElement) holders.add(parent);
  }
  return (element) => (kept.has(element) ? "content" : holders.has(element) ? "around" : "skip");
}

function commonAncestor(elements: Element[]): Element {
  let ancestor: Element = elements[0]!;
  for (const element of elements.slice(1)) {
    while (!ancestor.contains(element) && ancestor.parentElement) ancestor = ancestor.parentElement;
  }
  return ancestor;
}

/** Named as what surrounds a page's content: its menus, bars, header and footer, a table of contents, comments and promotions. */
const NAVIGATION_NAMES =
  /(^|[\s_-])(nav|navbar|navheader|navfooter|navigation|menu|header|footer|sidebar|related|breadcrumbs?|toc|pager|pagination|copyright|banner|masthead|social|share|skip|comments?|disqus|newsletter|subscribe|promo|sponsor|advert|ads?|tagline|logo|brand|slogan)([\s_-]|$)/i;

function withinNavigation(element: Element, article: Element, surrounds: (element: Element) => boolean): boolean {
  for (let at: Element | null = element; at && at !== article; at = at.parentElement) if (surrounds(at)) return true;
  return false;
}

/** Characters of text outside links, outside anything named as navigation. */
function proseLength(element: Element, surrounds: (element: Element) => boolean): number {
  if (surrounds(element)) return 0;
  const all = (element.textContent ?? "").replace(/\s+/g, "").length;
  const links = [...element.querySelectorAll("a")].reduce((sum, a) => sum + (a.textContent ?? "").replace(/\s+/g, "").length, 0);
  const named = [...element.querySelectorAll("[id], [class]")].filter(surrounds).reduce((sum, e) => sum + (e.textContent ?? "").replace(/\s+/g, "").length, 0);
  return Math.max(0, all - links - named);
}

function navigationLike(element: Element): boolean {
  return NAVIGATION_NAMES.test(`${element.getAttribute("id") ?? ""} ${element.getAttribute("class") ?? ""}`);
}

function linkDense(element: Element): boolean {
  const text = (element.textContent ?? "").replace(/\s+/g, "").length;
  const links = [...element.querySelectorAll("a")].reduce((sum, a) => sum + (a.textContent ?? "").replace(/\s+/g, "").length, 0);
  return text === 0 || links / text > 0.5;
}

/**
 * Walks the page in reading order. Inline text gathers into the current
 * block; a block element ends it. HTML's whitespace rule: a run of spaces,
 * tabs and line breaks is one space.
 */
function render(root: Element, builder: BlockBuilder, judge: (element: Element) => Verdict): void {
  let text = "";
  let kind: "paragraph" | "list-item" = "paragraph";
  const list: { depth: number; ordered: boolean }[] = [];
  /** The heading depth each open definition list started at. */
  const terms: number[] = [];

  const flush = () => {
    const clean = text
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim())
      .filter(Boolean)
      .join("\n");
    text = "";
    if (!clean) return;
    if (kind === "list-item") {
      const { depth, ordered } = list.at(-1) ?? { depth: 0, ordered: false };
      builder.add({ kind, text: clean, depth, ordered });
    } else {
      builder.add({ kind, text: clean });
    }
    kind = "paragraph";
  };

  /** Inside an element that only holds content, its own text is not content. */
  let around = false;
  const visit = (node: Node): void => {
    if (node.nodeType === 3) {
      if (!around) text += (node.textContent ?? "").replace(/[ \t\n\r\f]+/g, " ");
      return;
    }
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const verdict = judge(element);
    if (verdict === "skip") return;
    const outer = around;
    around = verdict === "around";
    try {
      visitElement(element);
    } finally {
      around = outer;
    }
  };
  const visitElement = (element: Element): void => {
    const tag = element.tagName;
    const heading = tag.match(HEADING);
    if (heading && !element.closest("[role='note']") && !inAdmonition(element)) {
      flush();
      builder.heading(Number(heading[1]), textWithBreaks(element, " "));
      return;
    }
    if (PREFORMATTED.has(tag)) {
      flush();
      builder.add({ kind: "code", text: textWithBreaks(element, "\n"), language: codeLanguage(element) });
      return;
    }
    if (tag === "BR") {
      text += "\n";
      return;
    }
    if (tag === "TABLE" && !isLayoutTable(element)) {
      flush();
      renderTable(element, builder);
      return;
    }
    // A definition list's terms (a setting, an option, a function's signature)
    // head their definitions as headings do: the term stays with every chunk
    // of its description, and the next term replaces it.
    if (tag === "DL") {
      flush();
      terms.push(builder.depth);
      element.childNodes.forEach(visit);
      flush();
      builder.truncate(terms.pop()!);
      return;
    }
    if (tag === "DT" && terms.length > 0) {
      flush();
      builder.heading(terms.at(-1)! + 1, textWithBreaks(element, " "));
      return;
    }
    if (tag === "UL" || tag === "OL" || tag === "MENU" || tag === "DIR") {
      flush();
      list.push({ depth: list.length, ordered: tag === "OL" });
      element.childNodes.forEach(visit);
      flush();
      list.pop();
      return;
    }
    if (tag === "LI") {
      flush();
      kind = "list-item";
      element.childNodes.forEach(visit);
      flush();
      return;
    }
    if (BLOCKS.has(tag) || heading) {
      // A paragraph inside a list item continues the item.
      const inItem = kind === "list-item" && tag === "P";
      if (!inItem) flush();
      element.childNodes.forEach(visit);
      if (!inItem) flush();
      else text += " ";
      return;
    }
    element.childNodes.forEach(visit);
  };

  visit(root);
  flush();
}

/**
 * An element's text with its <br>s as the given break: a heading's or a
 * term's parts ("p<br>plain", one option's two names) are apart on one line;
 * code's lines (Word's line breaks in a code paragraph) stay lines.
 */
function textWithBreaks(element: Element, lineBreak: " " | "\n"): string {
  let text = "";
  const visit = (node: Node) => {
    if (node.nodeType === 3) text += node.textContent ?? "";
    else if (node.nodeType === 1 && (node as Element).tagName === "BR") text += lineBreak;
    else node.childNodes.forEach(visit);
  };
  visit(element);
  return text;
}

function isNote(element: Element): boolean {
  const role = element.getAttribute("role") ?? "";
  return ["note", "doc-footnote", "doc-endnotes", "doc-endnote"].includes(role) || ASIDE_CONTENT.test(element.getAttribute("class") ?? "");
}

function inAdmonition(element: Element): boolean {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    if (ADMONITION.test(parent.getAttribute("class") ?? "")) return true;
  }
  return false;
}

/** "language-sql", "lang-sql", "highlight-python3" (Sphinx), on the block or the code inside it. */
function codeLanguage(element: Element): string | undefined {
  for (const candidate of [element, element.querySelector("code"), element.parentElement, element.parentElement?.parentElement]) {
    const match = candidate?.getAttribute("class")?.match(/(?:^|\s)(?:language|lang|highlight)-([\w+#-]+)/);
    if (match && match[1] !== "default") return match[1];
  }
  return undefined;
}

/**
 * A table used to lay out a page (or a "Warning" box drawn as a table) holds
 * blocks in its cells; a data table holds values.
 */
function isLayoutTable(table: Element): boolean {
  return (
    table.getAttribute("role") === "presentation" ||
    inAdmonition(table) ||
    table.querySelector("td pre, th pre, td table, td ul, td ol, td h1, td h2, td h3, td h4, td div p") !== null
  );
}

function renderTable(table: Element, builder: BlockBuilder): void {
  const number = builder.newTable();
  const caption = table.querySelector("caption")?.textContent;
  if (caption) builder.add({ kind: "paragraph", text: caption.replace(/\s+/g, " ") });
  for (const row of table.querySelectorAll("tr")) {
    if (row.closest("table") !== table) continue;
    const cells = [...row.children].filter((cell) => cell.tagName === "TD" || cell.tagName === "TH");
    const values = cells.map((cell) => (cell.textContent ?? "").replace(/\s+/g, " ").trim());
    if (!values.some(Boolean)) continue;
    const header = row.closest("thead") !== null || cells.every((cell) => cell.tagName === "TH");
    builder.add({ kind: "table-row", text: values.filter(Boolean).join(" | "), cells: values, table: number, header });
  }
}

/**
 * The page's own title without the site's name ("4. More Control Flow Tools —
 * Python 3.11 documentation" → "4. More Control Flow Tools"): the part of
 * <title> its first heading repeats, else its first part; a page without
 * <title> is named by its first heading.
 */
function chooseTitle(pageTitle: string, document: Document, firstHeading: string | undefined): string | undefined {
  const title = pageTitle.replace(/\s+/g, " ").trim();
  const h1 = (document.querySelector("h1")?.textContent ?? firstHeading ?? "").replace(/[¶#§]/g, "").replace(/\s+/g, " ").trim();
  if (!title) return h1 || undefined;
  const separator = / (\||—|–|-|::|·|»|:) /;
  const parts = title.split(separator).filter((_, i) => i % 2 === 0);
  if (parts.length === 1) return title;
  const separators = title.split(separator).filter((_, i) => i % 2 === 1);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  for (let end = parts.length; end > 0; end--) {
    for (let start = 0; start + end <= parts.length; start++) {
      const candidate = parts.slice(start, start + end).reduce((joined, part, i) => (i === 0 ? part : `${joined} ${separators[start + i - 1]} ${part}`), "");
      if (h1 && same(candidate, h1)) return candidate;
    }
  }
  return parts[0]!.split(/\s+/).length >= 2 ? parts[0] : title;
}

/** The text a reader sees of a piece of raw HTML (Markdown allows it inline): hidden parts and tags dropped. */
export function visibleHtmlText(fragment: string): string {
  const { document } = parseHTML(`<!doctype html><html><head></head><body>${fragment}</body></html>`);
  removeHidden(document);
  return document.body.textContent ?? "";
}
