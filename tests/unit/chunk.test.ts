import { describe, expect, it } from "vitest";
import { chunkText } from "@/lib/ingest/chunk";
import { countTokens } from "@/lib/ingest/tokens";

const sentence = (n: number) => `Sentence number ${n} talks about topic ${n} in a few plain words.`;
const prose = (count: number) => Array.from({ length: count }, (_, i) => sentence(i + 1)).join(" ");

describe("countTokens", () => {
  it("counts WordPiece tokens of the embedding model's vocabulary", () => {
    // bert-base-uncased: "this is an example sentence" → 5 tokens; "pgvector" → pg ##ve ##ctor.
    expect(countTokens("This is an example sentence")).toBe(5);
    expect(countTokens("pgvector")).toBe(3);
    expect(countTokens("")).toBe(0);
  });
});

describe("chunkText", () => {
  const options = { maxTokens: 60, overlapTokens: 20, countTokens };

  it("returns one chunk, unchanged, for text that fits", () => {
    const text = "A short note.\n\nWith two paragraphs.";
    expect(chunkText(text, options)).toEqual([{ content: text, tokenCount: countTokens(text) }]);
  });

  it("returns nothing for empty text", () => {
    expect(chunkText("", options)).toEqual([]);
  });

  it("never exceeds the token budget and reports each chunk's real size", () => {
    const chunks = chunkText(prose(40), options);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(countTokens(chunk.content));
      expect(chunk.tokenCount).toBeLessThanOrEqual(60);
    }
  });

  it("keeps sentences whole and covers every sentence in order", () => {
    const chunks = chunkText(prose(40), options);
    for (const chunk of chunks) {
      expect(chunk.content).toMatch(/^Sentence number \d+ .*words\.$/);
    }
    const seen = chunks.flatMap((c) => [...c.content.matchAll(/Sentence number (\d+) /g)].map((m) => Number(m[1])));
    expect([...new Set(seen)]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it("repeats the tail of each chunk at the start of the next, within the overlap budget", () => {
    const chunks = chunkText(prose(40), options);
    for (let i = 1; i < chunks.length; i++) {
      const first = chunks[i]!.content.match(/^Sentence number \d+ [^.]*\./)![0];
      expect(chunks[i - 1]!.content).toContain(first);
    }
    const noOverlap = chunkText(prose(40), { ...options, overlapTokens: 0 });
    const total = (list: typeof chunks) => list.reduce((sum, c) => sum + c.tokenCount, 0);
    expect(total(chunks)).toBeGreaterThan(total(noOverlap));
    expect(noOverlap.map((c) => c.content).join(" ")).toBe(prose(40));
  });

  it("separates paragraphs with a blank line inside a chunk", () => {
    const chunks = chunkText("First paragraph here.\n\nSecond paragraph here.", options);
    expect(chunks[0]!.content).toBe("First paragraph here.\n\nSecond paragraph here.");
  });

  it("cuts a sentence longer than a chunk between words", () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ");
    const chunks = chunkText(long, { ...options, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(60);
    expect(chunks.map((c) => c.content).join(" ")).toBe(long);
  });

  it("cuts a single unbroken string that no tokenizer boundary saves", () => {
    const blob = "x".repeat(5000);
    const chunks = chunkText(blob, { ...options, overlapTokens: 0 });
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(60);
    expect(chunks.map((c) => c.content).join("")).toBe(blob);
  });

  it("refuses an overlap as large as the chunk", () => {
    expect(() => chunkText("text", { ...options, overlapTokens: 60 })).toThrow(RangeError);
  });
});
