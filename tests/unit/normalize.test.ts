import { describe, expect, it } from "vitest";
import { normalizeText } from "@/lib/ingest/normalize";

describe("normalizeText", () => {
  it("removes invisible characters that would split words", () => {
    expect(normalizeText("pg\u200Bvector\uFEFF and soft\u00ADhyphen")).toBe("pgvector and softhyphen");
  });

  it("collapses runs of spaces and blank lines but keeps paragraphs", () => {
    expect(normalizeText("  one   two\t three \r\n\r\n\r\n\nfour  \n five ")).toBe("one two three\n\nfour\nfive");
  });

  it("replaces control characters with spaces and composes Unicode", () => {
    expect(normalizeText("a\u0000b\u0007c")).toBe("a b c");
    expect(normalizeText("cafe\u0301")).toBe("café");
  });

  it("turns whitespace-only text into the empty string", () => {
    expect(normalizeText(" \n\t\u200B ")).toBe("");
  });
});
