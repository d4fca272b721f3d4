import { describe, expect, it } from "vitest";
import { documentText } from "../../lib/ingest/document-text";
import { parseText } from "../../lib/ingest/parse/text";
import { documentTitle, MAX_TITLE_CHARS, titleFromFilename } from "../../lib/ingest/title";

describe("document titles", () => {
  it("keeps a 2,000-character file name's title within the limit", () => {
    const title = titleFromFilename(`${"quarterly_report_".repeat(118)}.pdf`);
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(title.startsWith("quarterly report quarterly report")).toBe(true);
    expect(title.endsWith("…")).toBe(true);
  });

  it("drops the bidirectional overrides that disguise a name, and control characters", () => {
    expect(titleFromFilename("invoice\u202Efdp.exe")).toBe("invoice fdp");
    expect(titleFromFilename("report\u2066\u2069\u200F\u0007.md")).toBe("report");
    expect(documentTitle({ title: "Given\u202E title", titleGiven: true }, undefined, "text")).toBe("Given title");
    expect(documentTitle({ title: "", titleGiven: false, filename: "x.html" }, "Page\ttitle\u202D from <title>", "text")).toBe("Page title from <title>");
  });

  it("keeps ordinary titles as they are, in any script", () => {
    expect(titleFromFilename("routine_vacuuming.html")).toBe("routine vacuuming");
    expect(documentTitle({ title: "", titleGiven: false }, "Résumé — 履歴書 — سيرة ذاتية", "text")).toBe("Résumé — 履歴書 — سيرة ذاتية");
  });

  it("takes a first line as the person wrote it, not as Markdown escaped it", () => {
    const untitled = { title: "", titleGiven: false };
    const fromText = (text: string) => documentTitle(untitled, undefined, documentText(parseText(text).blocks));
    expect(fromText("# Island ferries\n\nThe ferry leaves Pier 7 at 08:15.")).toBe("Island ferries");
    expect(fromText("*Draft* notes [v2] for 1. July\n\nMore.")).toBe("*Draft* notes [v2] for 1. July");
    expect(fromText("C:\\temp\\notes.txt holds the rest")).toBe("C:\\temp\\notes.txt holds the rest");
    // A single line break is kept in Markdown as a hard break, a backslash at the end of the line.
    expect(fromText("# Island ferries\nThe ferry leaves Pier 7 at 08:15.")).toBe("Island ferries");
    expect(fromText("Ends in C:\\temp\\\nmore")).toBe("Ends in C:\\temp\\");
  });
});
