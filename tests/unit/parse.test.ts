import { Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import { describe, expect, it } from "vitest";
import { documentText } from "@/lib/ingest/document-text";
import { detectFormat, parseFile, type Block } from "@/lib/ingest/parse";
import { csvFixture, docxFixture, htmlFixture, jsonFixture, markdownFixture, pdfFixture } from "../support/fixtures";
import { column, layoutPdf } from "../support/pdf-pages";

const utf8 = (text: string) => new TextEncoder().encode(text);
const texts = (blocks: Block[]) => blocks.map((b) => b.text);

/** Enough prose for a page to have a main text to find. */
const prose = (topic: string) =>
  Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i + 1} about ${topic}, with a clause, and another, so that it reads like an article of the manual.</p>`).join("\n");

describe("parseFile", () => {
  it("reads a DOCX with its heading structure", async () => {
    const parsed = await parseFile(await docxFixture(), "guide.docx");
    expect(parsed.format).toBe("docx");
    expect(parsed.title).toBe("Onboarding Guide");
    expect(parsed.blocks).toEqual([
      { kind: "paragraph", text: "Welcome to the team. This guide covers your first week.", headings: ["Onboarding Guide"] },
      { kind: "paragraph", text: "Ask IT for a laptop and a password manager invitation.", headings: ["Onboarding Guide", "Accounts"] },
      { kind: "paragraph", text: "Salaries are paid on the last working day of each month.", headings: ["Onboarding Guide", "Payroll"] },
    ]);
  });

  it("reads HTML without scripts, styles or hidden text, keeping headings and table rows", async () => {
    const parsed = await parseFile(utf8(htmlFixture), "tea.html");
    expect(parsed.title).toBe("Tea & Health");
    expect(parsed.blocks).toEqual([
      { kind: "paragraph", text: "Green tea contains catechins, which are antioxidants.", headings: ["Green tea"] },
      { kind: "paragraph", text: "Steep for two minutes at 80°C.", headings: ["Green tea", "Brewing"] },
      { kind: "table-row", text: "Type | Caffeine", cells: ["Type", "Caffeine"], table: 1, header: true, headings: ["Green tea", "Brewing"] },
      { kind: "table-row", text: "Sencha | 30 mg", cells: ["Sencha", "30 mg"], table: 1, header: false, headings: ["Green tea", "Brewing"] },
    ]);
    expect(JSON.stringify(parsed)).not.toMatch(/secret|tracking|color: red|Enable JavaScript|Home/);
  });

  it("drops text a page hides however it spells it: attribute and style case, spacing, !important, its style sheets, raw HTML in Markdown", async () => {
    const hidden = [
      `<p style="DISPLAY:NONE">hidden-a</p>`,
      `<p style="display :  none">hidden-b</p>`,
      `<p style="color: red; display:none !important">hidden-c</p>`,
      `<p aria-hidden="TRUE">hidden-d</p>`,
      `<p style="Visibility: Hidden">hidden-e</p>`,
      `<style>/* stuffing */ .promo, #k { display: none } @media print { .shown { display: none } }</style><p class="promo">hidden-f</p><p id="k">hidden-g</p>`,
      `<div hidden>hidden-h</div>`,
      `<style>.tab { display: none } .tab.active { display: block }</style><p class="tab">hidden-k</p><p class="tab active">The active tab shows the tide table.</p>`,
    ];
    const page = `<html><head><title>t</title></head><body><main><h1>Tides</h1><p>High water comes twice a day along this coast, about an hour later each day.</p>
      ${hidden.join("\n")}<p class="shown">Low water uncovers the sandbar.</p><details><summary>More</summary><p>Spring tides follow the new moon.</p></details></main></body></html>`;
    const html = JSON.stringify(await parseFile(utf8(page), "tides.html"));
    expect(html).not.toMatch(/hidden-/);
    expect(html).toContain("Low water uncovers the sandbar.");
    expect(html).toContain("Spring tides follow the new moon.");
    expect(html).toContain("The active tab shows the tide table.");
    const markdown = JSON.stringify(await parseFile(utf8(`# Tides\n\nVisible words.\n\n<div hidden>hidden-i</div>\n\n<p style="display:none">hidden-j</p>\n\n<div>Shown in a div.</div>\n`), "tides.md"));
    expect(markdown).not.toMatch(/hidden-/);
    expect(markdown).toContain("Shown in a div.");
  });

  it("reads CSV rows as column: value lines with their row numbers", async () => {
    const parsed = await parseFile(utf8(csvFixture), "cities.csv");
    expect(parsed.blocks.map((b) => [b.text, b.row])).toEqual([
      ["city | country | population", undefined],
      ["city: Lyon; country: France; population: 522,250", 1],
      ["city: Porto; country: Portugal; population: 231800", 2],
      ["city: Graz; country: Austria; population: 291,072", 3],
    ]);
    expect(documentText(parsed.blocks)).toContain("| Porto | Portugal | 231800     |");
  });

  it("reads Markdown as blocks of their kind: list items, table rows and paragraphs", async () => {
    const parsed = await parseFile(utf8(markdownFixture), "rice.md");
    expect(parsed.title).toBe("Cooking Rice");
    expect(parsed.blocks.map((b) => [b.kind, b.text, b.headings.at(-1)])).toEqual([
      ["paragraph", "Rinse the rice three times before cooking.", "Cooking Rice"],
      ["list-item", "Use 1.5 cups of water per cup of rice.", "Stovetop"],
      ["list-item", "Simmer for 18 minutes.", "Stovetop"],
      ["paragraph", "Let it rest, covered, for ten minutes.", "Resting"],
      ["table-row", "Rice | Water", "Resting"],
      ["table-row", "Basmati | 1.5 cups", "Resting"],
    ]);
  });

  it("reads JSON records as key: value lines", async () => {
    const parsed = await parseFile(utf8(jsonFixture), "people.json");
    expect(parsed.blocks).toEqual([
      { kind: "paragraph", text: "name: Ada Lovelace; field: mathematics; works: Notes on the Analytical Engine", headings: [], row: 1 },
      { kind: "paragraph", text: "name: Grace Hopper; field: computing; honours.medal: National Medal of Technology", headings: [], row: 2 },
    ]);
  });

  it("keeps nested JSON values in order under their paths, and refuses nesting past 64 levels with the reason, not a stack overflow", async () => {
    const nested = await parseFile(utf8(JSON.stringify({ a: { b: [{ c: 1 }, { d: [2, 3] }], e: "x" } })), "nested.json");
    expect(nested.blocks.map((block) => block.text)).toEqual(["b[0].c: 1\nb[1].d: 2, 3\ne: x"]);
    const deep = `[${"[".repeat(100_000)}"core"${"]".repeat(100_000)}]`;
    await expect(parseFile(utf8(deep), "deep.json")).rejects.toThrow(/deep\.json nests its values more than 64 levels deep/);
  });

  it("reads plain text as paragraphs, cleaned of invisible characters", async () => {
    const parsed = await parseFile(utf8("First\u200B line.\r\n\r\n\r\nSecond   paragraph."), "notes.txt");
    expect(texts(parsed.blocks)).toEqual(["First line.", "Second paragraph."]);
  });
});

describe("HTML as a browser renders it", () => {
  it("joins a paragraph's source lines, as HTML collapses whitespace; <br> breaks a line; <pre> keeps every line as code", async () => {
    // PostgreSQL's manual wraps its source at ~70 columns: the stored text broke mid-sentence there.
    const html = `<html><head><title>25.1. Routine Vacuuming</title></head><body><div class="sect1"><p>
   In <span class="productname">PostgreSQL</span>, an <code class="command">UPDATE</code> or
   <code class="command">DELETE</code> of a row does not
   immediately remove the old version of the row.</p><p>Line one<br>line two</p>
<pre class="programlisting">VACUUM (VERBOSE, ANALYZE) onek;
  -- indented comment</pre></div></body></html>`;
    const parsed = await parseFile(utf8(html), "routine-vacuuming.html");
    expect(parsed.blocks.map((b) => [b.kind, b.text])).toEqual([
      ["paragraph", "In PostgreSQL, an UPDATE or DELETE of a row does not immediately remove the old version of the row."],
      ["paragraph", "Line one\nline two"],
      ["code", "VACUUM (VERBOSE, ANALYZE) onek;\n  -- indented comment"],
    ]);
  });

  it("leaves out DocBook's navigation bars and table of contents, and keeps the page's own title heading", async () => {
    const html = `<html><head><title>25.1. Routine Vacuuming</title></head><body>
<div class="navheader"><table><tr><th colspan="5">25.1. Routine Vacuuming</th></tr><tr>
<td><a href="maintenance.html">Prev</a></td><td><a href="maintenance.html">Up</a></td>
<th>Chapter 25. Routine Database Maintenance Tasks</th><td><a href="index.html">Home</a></td>
<td><a href="routine-reindex.html">Next</a></td></tr></table><hr></div>
<div class="sect1"><div class="titlepage"><h2 class="title">25.1. Routine Vacuuming</h2></div>
<div class="toc"><dl class="toc"><dt><a href="#a">25.1.1. Vacuuming Basics</a></dt><dt><a href="#b">25.1.2. Recovering Disk Space</a></dt></dl></div>
${prose("vacuuming")}
<div class="sect2"><h3 class="title">25.1.2. Recovering Disk Space</h3>${prose("disk space")}
<div class="tip"><h3 class="title">Tip</h3><p>Use VACUUM FULL to reclaim the excess disk space a table occupies.</p></div></div></div>
<div class="navfooter"><table><tr><td><a href="maintenance.html">Prev</a></td><td><a href="index.html">Home</a></td>
<td><a href="routine-reindex.html">Next</a></td></tr></table></div></body></html>`;
    const parsed = await parseFile(utf8(html), "routine-vacuuming.html");
    const text = parsed.blocks.map((b) => b.text).join("\n");
    expect(text).not.toMatch(/Prev|Next|Home|Chapter 25|Vacuuming Basics/);
    expect(parsed.title).toBe("25.1. Routine Vacuuming");
    expect(parsed.blocks[0]!.headings).toEqual(["25.1. Routine Vacuuming"]);
    // "Tip" labels its box; it does not start a section.
    const tip = parsed.blocks.findIndex((b) => b.text === "Tip");
    expect(parsed.blocks[tip]!.headings).toEqual(["25.1. Routine Vacuuming", "25.1.2. Recovering Disk Space"]);
    expect(parsed.blocks[tip + 1]).toMatchObject({ kind: "paragraph", text: "Use VACUUM FULL to reclaim the excess disk space a table occupies." });
  });

  it("leaves out Sphinx's navigation, sidebar and ¶ marks, keeps code with its language, and trims the site's name from the title", async () => {
    const html = `<html><head><title>4. More Control Flow Tools — Python 3.11.2 documentation</title></head><body>
<div class="related" role="navigation"><ul><li><a href="index.html">index</a></li><li><a href="modules.html">modules</a></li></ul></div>
<div class="body" role="main"><section><h1>4. More Control Flow Tools<a class="headerlink" href="#more" title="Permalink">¶</a></h1>
${prose("control flow")}
<div class="highlight-python3 notranslate"><div class="highlight"><pre><span></span><span class="k">if</span> x &lt; 0:
    x = 0</pre></div></div>
<div class="admonition seealso"><p class="admonition-title">See also</p><p><a href="https://packaging.python.org">Python Packaging User Guide</a></p></div>
</section></div>
<div class="sphinxsidebar" role="navigation"><h3>Table of Contents</h3><ul><li><a href="#a">4.1. if Statements</a></li></ul></div>
<footer>© Copyright 2001-2023, Python Software Foundation.</footer></body></html>`;
    const parsed = await parseFile(utf8(html), "controlflow.html");
    expect(parsed.title).toBe("4. More Control Flow Tools");
    expect(parsed.blocks[0]!.headings).toEqual(["4. More Control Flow Tools"]);
    expect(parsed.blocks.find((b) => b.kind === "code")).toMatchObject({ text: "if x < 0:\n    x = 0", language: "python3" });
    const text = texts(parsed.blocks).join("\n");
    expect(text).toContain("Python Packaging User Guide");
    expect(text).not.toMatch(/¶|modules|Table of Contents|Copyright/);
  });

  it("keeps a manual page's own header (its NAME line), Sphinx's footnotes, and the parts of a term broken by <br>", async () => {
    // git-stash.html (AsciiDoc), controlflow.html (Sphinx) and app-pgdump.html (DocBook), where each was lost or glued.
    const html = `<html><head><title>git-stash(1)</title></head><body>
<div id="header"><h1>git-stash(1) Manual Page</h1><h2>NAME</h2><div class="sectionbody"><p>git-stash - Stash the changes in a dirty working directory away</p></div></div>
<div id="content"><div class="sect1"><h2 id="_description">DESCRIPTION</h2><div class="sectionbody">${prose("stashing")}
<p>Arguments are passed by object reference.<a class="footnote-reference brackets" href="#id2" id="id1">1</a></p>
<div class="variablelist"><dl class="variablelist"><dt><span class="term"><code>p</code><br /></span><span class="term"><code>plain</code></span></dt>
<dd><p>Output a plain-text SQL script file.</p></dd></dl></div>
<aside class="footnote-list brackets"><aside class="footnote brackets" id="id2" role="note"><span class="label"><a role="doc-backlink" href="#id1">1</a></span>
<p>Actually, call by object reference would be a better description.</p></aside></aside>
</div></div></div>
<div id="footer"><div id="footer-text">Last updated 2024-01-01</div></div></body></html>`;
    const parsed = await parseFile(utf8(html), "git-stash.html");
    const text = texts(parsed.blocks).join("\n");
    expect(text).toContain("git-stash - Stash the changes in a dirty working directory away");
    expect(text).toContain("Actually, call by object reference would be a better description.");
    expect(parsed.blocks.find((b) => b.text === "Output a plain-text SQL script file.")!.headings.at(-1)).toBe("p plain");
    expect(text).not.toContain("Last updated");
  });

  it("leaves out skip links and cookie banners", async () => {
    const html = `<html><head><title>Pricing | Acme</title></head><body><a href="#main">Skip to content</a>
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
<main id="main"><h1>Pricing</h1>${prose("prices")}</main></body></html>`;
    const parsed = await parseFile(utf8(html), "pricing.html");
    expect(parsed.title).toBe("Pricing");
    expect(texts(parsed.blocks).join("\n")).not.toMatch(/Skip to content|cookies/);
  });
});

describe("PDF pages read as paragraphs", () => {
  const paragraph = [
    "Bash is the shell, or command language interpreter, for the gnu oper-",
    "ating system. The name is an acronym for the Bourne-Again SHell, a",
    "pun on Stephen Bourne, the author of the direct ancestor of the shell.",
  ];

  it("joins a paragraph's printed lines, rejoins words hyphenated at a line end, and starts a paragraph at an indent", async () => {
    const pdf = await layoutPdf([
      [
        ...column(72, 700, paragraph),
        { text: "Shells may be used interactively or non-interactively. In interac-", x: 87, y: 664 },
        ...column(72, 652, ["tive mode, they accept input typed from the keyboard, and more.", "Short last line."]),
      ],
    ]);
    const parsed = await parseFile(pdf, "bashref.pdf");
    expect(texts(parsed.blocks)).toEqual([
      "Bash is the shell, or command language interpreter, for the gnu operating system. The name is an acronym for the Bourne-Again SHell, a pun on Stephen Bourne, the author of the direct ancestor of the shell.",
      "Shells may be used interactively or non-interactively. In interactive mode, they accept input typed from the keyboard, and more. Short last line.",
    ]);
    expect(parsed.blocks.every((b) => b.page === 1)).toBe(true);
  });

  it("keeps the last line of a hanging list item, and of a description set beside its term in the margin, with what it continues", async () => {
    // apsguide4-1.pdf (REVTeX) and llncsdoc.pdf (Springer), where both were read as new paragraphs.
    const pdf = await layoutPdf([
      [
        { text: "• The \\thanks macro may be used only if one of the", x: 333, y: 780 },
        { text: "more specific macros listed above does not apply.", x: 342, y: 768 },
        { text: "• Use a single \\affiliation for each affiliation.", x: 333, y: 748 },
        { text: "\\and If there is more than one author, please separate them by \\and. This makes sure", x: 111, y: 700 },
        { text: "that correct punctuation is inserted according to the number of authors.", x: 135, y: 688 },
        { text: "\\inst Numbers referring to different addresses or affiliations should be attached to", x: 106, y: 676 },
        { text: "each author with the \\inst command.", x: 135, y: 664 },
      ],
    ]);
    const parsed = await parseFile(pdf, "guide.pdf");
    expect(texts(parsed.blocks)).toEqual([
      "The \\thanks macro may be used only if one of the more specific macros listed above does not apply.",
      "Use a single \\affiliation for each affiliation.",
      "\\and If there is more than one author, please separate them by \\and. This makes sure that correct punctuation is inserted according to the number of authors.",
      "\\inst Numbers referring to different addresses or affiliations should be attached to each author with the \\inst command.",
    ]);
  });

  it("drops running headers, footers and page numbers that repeat from page to page", async () => {
    const page = (n: number) => [
      { text: `BASH(1)`, x: 72, y: 800 },
      { text: "General Commands Manual", x: 250, y: 800 },
      { text: `BASH(1)`, x: 480, y: 800 },
      ...column(72, 700, [`Page ${n} says something about the shell and its many options here.`]),
      { text: "GNU Bash 5.2", x: 72, y: 40 },
      { text: "2022 September 19", x: 250, y: 40 },
      { text: String(n), x: 520, y: 40 },
    ];
    const parsed = await parseFile(await layoutPdf([page(1), page(2), page(3)]), "bash.pdf");
    expect(texts(parsed.blocks)).toEqual([1, 2, 3].map((n) => `Page ${n} says something about the shell and its many options here.`));
    expect(parsed.title).toBe("BASH(1)");
  });

  it("reads two columns left column first, and keeps a table of contents out", async () => {
    const left = ["The left column starts the article and its first", "sentence goes on down the left column to its foot,", "where it ends."];
    const right = ["The right column comes next, after the left one", "has been read from its top to its foot, as a", "person reads a journal page."];
    const toc = ["1 Introduction . . . . . . . . . . . 1", "2 Installation . . . . . . . . . . . 2", "3 Options . . . . . . . . . . . . . . 2"];
    const pdf = await layoutPdf([
      [
        { text: "A Package for Transactions", x: 180, y: 780, size: 17 },
        ...column(58, 720, toc),
        ...column(58, 660, [...left, ...left, ...left]),
        ...column(310, 720, [...right, ...right, ...right, ...right]),
      ],
    ]);
    const parsed = await parseFile(pdf, "two-columns.pdf");
    const text = texts(parsed.blocks).join("\n");
    expect(parsed.title).toBe("A Package for Transactions");
    expect(text).not.toMatch(/Introduction|Installation/);
    expect(text.indexOf("The left column")).toBeLessThan(text.indexOf("The right column"));
    expect(text.lastIndexOf("where it ends.")).toBeLessThan(text.indexOf("The right column"));
  });

  it("keeps a paragraph that runs on to the next page whole, and takes the title from the metadata when it has one", async () => {
    const pdf = await layoutPdf(
      [
        column(72, 700, ["The paragraph starts on the first page and it goes on to the", "very foot of that page, where it has not ended yet but"]),
        column(72, 700, ["continues at the top of the next page, where it ends.", "A new paragraph."]),
      ],
      { title: "Field Manual" },
    );
    const parsed = await parseFile(pdf, "manual.pdf");
    expect(parsed.title).toBe("Field Manual");
    expect(parsed.blocks.map((b) => [b.text, b.page])).toEqual([
      ["The paragraph starts on the first page and it goes on to the very foot of that page, where it has not ended yet but continues at the top of the next page, where it ends.", 1],
      ["A new paragraph.", 2],
    ]);
  });

  it("keeps monospaced listings as code, line by line, and headings larger than the text as the heading path", async () => {
    const pdf = await layoutPdf([
      [
        { text: "3.2.3 Pipelines", x: 72, y: 740, size: 13, font: "bold" },
        ...column(72, 716, ["The format for a pipeline is as follows, with its parts:"]),
        { text: "[time [-p]] [!] command1", x: 90, y: 700, font: "mono" },
        { text: "  [ | command2 ] ...", x: 90, y: 688, font: "mono" },
        ...column(72, 670, ["The output of each command is connected to the next."]),
      ],
    ]);
    const parsed = await parseFile(pdf, "pipelines.pdf");
    expect(parsed.blocks.map((b) => [b.kind, b.text, b.headings])).toEqual([
      ["paragraph", "The format for a pipeline is as follows, with its parts:", ["3.2.3 Pipelines"]],
      ["code", "[time [-p]] [!] command1\n  [ | command2 ] ...", ["3.2.3 Pipelines"]],
      ["paragraph", "The output of each command is connected to the next.", ["3.2.3 Pipelines"]],
    ]);
  });

  it("reads a table laid out in columns as rows of cells", async () => {
    const parsed = await parseFile(await pdfFixture(), "report.pdf");
    expect(parsed.title).toBe("Quarterly Field Report");
    expect(parsed.blocks.filter((b) => b.kind === "table-row").map((b) => b.text)).toEqual([
      "Site | Species | Count",
      "North Marsh | Heron | 42",
      "South Fen | Bittern | 7",
    ]);
  });
});

describe("Word documents", () => {
  it("take their title from the document's properties and keep code styled as code, line by line", async () => {
    const doc = new Document({
      title: "Onboarding Handbook",
      styles: { paragraphStyles: [{ id: "SourceCode", name: "Source Code", run: { font: "Courier New" } }] },
      sections: [
        {
          children: [
            new Paragraph({ text: "Setup", heading: HeadingLevel.HEADING_1 }),
            new Paragraph("Run this once:"),
            // Lines of code in one paragraph, apart by Word's line breaks (pandoc writes code this way).
            new Paragraph({ style: "SourceCode", children: [new TextRun("npm install"), new TextRun({ text: "npm test", break: 1 })] }),
          ],
        },
      ],
    });
    const parsed = await parseFile(new Uint8Array(await Packer.toBuffer(doc)), "handbook.docx");
    expect(parsed.title).toBe("Onboarding Handbook");
    expect(parsed.blocks.map((b) => [b.kind, b.text])).toEqual([
      ["paragraph", "Run this once:"],
      ["code", "npm install\nnpm test"],
    ]);
  });
});

describe("detectFormat", () => {
  it("trusts the bytes over the name", async () => {
    expect(detectFormat(await pdfFixture(), "renamed.txt")).toBe("pdf");
    expect(detectFormat(await docxFixture(), "guide.bin")).toBe("docx");
    expect(detectFormat(utf8("<!DOCTYPE html><p>x</p>"), "page")).toBe("html");
  });

  it("refuses binary data whatever it is called, with a 415 that names the file", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect(() => detectFormat(png, "photo.txt")).toThrow(/photo\.txt looks like a PNG image/);
    const random = new Uint8Array([0x13, 0x00, 0xfe, 0x42, 0x99, 0x00]);
    expect(() => detectFormat(random, "data.txt")).toThrow(
      expect.objectContaining({ status: 415, code: "unsupported_type", message: expect.stringMatching(/binary data/) }),
    );
    expect(() => detectFormat(utf8("plain"), "script.exe")).toThrow(/script\.exe is not a supported file type/);
  });

  it("says why a corrupt PDF cannot be read", async () => {
    const corrupt = utf8("%PDF-1.7\nthis is not really a pdf\n%%EOF");
    await expect(parseFile(corrupt, "broken.pdf")).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/^broken\.pdf could not be read as a PDF/),
    });
  });
});
