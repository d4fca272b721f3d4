import { describe, expect, it } from "vitest";
import { detectFormat, parseFile } from "@/lib/ingest/parse";
import { csvFixture, docxFixture, htmlFixture, jsonFixture, markdownFixture, pdfFixture } from "../support/fixtures";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("parseFile", () => {
  it("reads a two-page PDF page by page, with paragraphs and the table's rows", async () => {
    const parsed = await parseFile(await pdfFixture(), "report.pdf");
    expect(parsed.format).toBe("pdf");
    expect(parsed.title).toBe("Quarterly Field Report");
    expect(parsed.blocks).toEqual([
      {
        text: "The survey team visited twelve wetland sites in spring.\nWater levels were higher than in any previous year.",
        headings: [],
        page: 1,
      },
      { text: "Bird counts doubled at the northern marshes.", headings: [], page: 1 },
      { text: "Table 1: Sites and species", headings: [], page: 2 },
      { text: "Site Species Count\nNorth Marsh Heron 42\nSouth Fen Bittern 7", headings: [], page: 2 },
    ]);
  });

  it("reads a DOCX with its heading structure", async () => {
    const parsed = await parseFile(await docxFixture(), "guide.docx");
    expect(parsed.format).toBe("docx");
    expect(parsed.title).toBe("Onboarding Guide");
    expect(parsed.blocks).toEqual([
      { text: "Welcome to the team. This guide covers your first week.", headings: ["Onboarding Guide"] },
      { text: "Ask IT for a laptop and a password manager invitation.", headings: ["Onboarding Guide", "Accounts"] },
      { text: "Salaries are paid on the last working day of each month.", headings: ["Onboarding Guide", "Payroll"] },
    ]);
  });

  it("reads HTML without scripts, styles or hidden text, keeping headings and table rows", async () => {
    const parsed = await parseFile(utf8(htmlFixture), "tea.html");
    expect(parsed.title).toBe("Tea & Health");
    expect(parsed.blocks).toEqual([
      { text: "Home", headings: [] },
      { text: "Green tea contains catechins, which are antioxidants.", headings: ["Green tea"] },
      { text: "Steep for two minutes at 80°C.", headings: ["Green tea", "Brewing"] },
      { text: "Type | Caffeine", headings: ["Green tea", "Brewing"] },
      { text: "Sencha | 30 mg", headings: ["Green tea", "Brewing"] },
    ]);
    expect(JSON.stringify(parsed)).not.toMatch(/secret|tracking|color: red|Enable JavaScript/);
  });

  it("reads CSV rows as column: value lines with their row numbers", async () => {
    const parsed = await parseFile(utf8(csvFixture), "cities.csv");
    expect(parsed.blocks).toEqual([
      { text: "city: Lyon; country: France; population: 522,250", headings: [], row: 1 },
      { text: "city: Porto; country: Portugal; population: 231800", headings: [], row: 2 },
      { text: "city: Graz; country: Austria; population: 291,072", headings: [], row: 3 },
    ]);
  });

  it("reads Markdown with its heading path and plain text", async () => {
    const parsed = await parseFile(utf8(markdownFixture), "rice.md");
    expect(parsed.title).toBe("Cooking Rice");
    expect(parsed.blocks).toEqual([
      { text: "Rinse the rice three times before cooking.", headings: ["Cooking Rice"] },
      {
        text: "Use 1.5 cups of water per cup of rice.\nSimmer for 18 minutes.",
        headings: ["Cooking Rice", "Stovetop"],
      },
      { text: "Let it rest, covered, for ten minutes.", headings: ["Cooking Rice", "Stovetop", "Resting"] },
      { text: "Rice: Basmati; Water: 1.5 cups", headings: ["Cooking Rice", "Stovetop", "Resting"] },
    ]);
  });

  it("reads JSON records as key: value lines", async () => {
    const parsed = await parseFile(utf8(jsonFixture), "people.json");
    expect(parsed.blocks).toEqual([
      { text: "name: Ada Lovelace; field: mathematics; works: Notes on the Analytical Engine", headings: [], row: 1 },
      { text: "name: Grace Hopper; field: computing; honours.medal: National Medal of Technology", headings: [], row: 2 },
    ]);
  });

  it("reads plain text as paragraphs, cleaned of invisible characters", async () => {
    const parsed = await parseFile(utf8("First\u200B line.\r\n\r\n\r\nSecond   paragraph."), "notes.txt");
    expect(parsed.blocks).toEqual([
      { text: "First line.", headings: [] },
      { text: "Second paragraph.", headings: [] },
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
