import { describe, expect, it } from "vitest";
import { chunkBlocks, embeddingInput, type ChunkOptions } from "@/lib/ingest/chunk";
import type { Block } from "@/lib/ingest/parse";
import { parseText } from "@/lib/ingest/parse/text";
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

const chunkText = (text: string, options: Omit<ChunkOptions, "inputTokens">) =>
  chunkBlocks(parseText(text).blocks, { ...options, inputTokens: 254 });

describe("chunkBlocks on plain text", () => {
  const options = { maxTokens: 60, overlapTokens: 20, countTokens };

  it("returns one chunk, unchanged, for text that fits", () => {
    const text = "A short note.\n\nWith two paragraphs.";
    expect(chunkText(text, options)).toEqual([{ content: text, tokenCount: countTokens(text), headings: [] }]);
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

  it("cuts text without spaces into words the model can read, and chunks that hold their real token count", () => {
    // WordPiece reads a word over 100 characters as one unknown token: uncut, 5,000 characters would be "2 tokens" in one chunk.
    for (const blob of ["x".repeat(5000), Array.from({ length: 5000 }, (_, i) => "QmFzZTY0IGJsb2I"[i % 15]).join("")]) {
      const chunks = chunkText(blob, { ...options, overlapTokens: 0 });
      expect(chunks.length).toBeGreaterThan(5);
      for (const chunk of chunks) {
        expect(chunk.tokenCount).toBeLessThanOrEqual(60);
        expect(chunk.tokenCount).toBe(countTokens(chunk.content));
        for (const word of chunk.content.split(" ")) expect(word.length).toBeLessThanOrEqual(100);
      }
      expect(chunks.map((c) => c.content.replaceAll(" ", "")).join("")).toBe(blob);
    }
  });

  it("cuts a code line or a table cell without spaces the same way", () => {
    const line = "z".repeat(3000);
    const blocks: Block[] = [
      { kind: "code", text: `const a = 1;\n${line}\nconst b = 2;`, headings: [] },
      { kind: "table-row", cells: ["id", line], text: `id | ${line}`, table: 1, header: false, headings: [] },
    ];
    const chunks = chunkBlocks(blocks, { maxTokens: 60, overlapTokens: 0, countTokens, inputTokens: 254 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(60);
      for (const word of chunk.content.split(/\s+/)) expect(word.length).toBeLessThanOrEqual(100);
    }
  });

  it("refuses an overlap as large as the chunk", () => {
    expect(() => chunkText("text", { ...options, overlapTokens: 60 })).toThrow(RangeError);
  });
});

describe("chunkBlocks on structured documents", () => {
  const options: ChunkOptions = { maxTokens: 60, overlapTokens: 10, inputTokens: 80, countTokens };
  const block = (text: string, extra: Partial<Omit<Block, "kind">> = {}): Block => ({ kind: "paragraph", text, headings: [], ...extra });

  it("never lets a chunk span two sections, and gives each chunk its heading path", () => {
    const chunks = chunkBlocks(
      [
        block("Install the package.", { headings: ["Guide", "Setup"] }),
        block("Run the migrations.", { headings: ["Guide", "Setup"] }),
        block("Call the search endpoint.", { headings: ["Guide", "Usage"] }),
      ],
      options,
    );
    expect(chunks.map((c) => [c.content, c.headings])).toEqual([
      ["Install the package.\n\nRun the migrations.", ["Guide", "Setup"]],
      ["Call the search endpoint.", ["Guide", "Usage"]],
    ]);
    expect(embeddingInput(chunks[1]!)).toBe("Guide › Usage\n\nCall the search endpoint.");
  });

  it("keeps the heading context and the chunk together inside the model's input", () => {
    const headings = ["A rather long chapter title about the history of things", "And a section title"];
    const blocks = Array.from({ length: 30 }, (_, i) => block(sentence(i), { headings }));
    for (const chunk of chunkBlocks(blocks, options)) {
      expect(countTokens(embeddingInput(chunk))).toBeLessThanOrEqual(80);
    }
  });

  it("records the pages and rows each chunk draws on", () => {
    const pdf = chunkBlocks(
      Array.from({ length: 12 }, (_, i) => block(sentence(i), { page: Math.floor(i / 4) + 1 })),
      { ...options, overlapTokens: 0 },
    );
    expect(pdf[0]!.pages).toEqual([1, expect.any(Number)]);
    expect(pdf.at(-1)!.pages![1]).toBe(3);
    const csv = chunkBlocks(Array.from({ length: 12 }, (_, i) => block(`city: C${i}; country: X`, { row: i + 1 })), options);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv[0]!.rows![0]).toBe(1);
    expect(csv.at(-1)!.rows![1]).toBe(12);
    for (const chunk of csv) {
      expect(chunk.content.split("\n\n")).toHaveLength(chunk.rows![1] - chunk.rows![0] + 1);
    }
  });

  it("keeps line breaks inside a block, as in table rows", () => {
    const [chunk] = chunkBlocks([block("Site Species Count\nNorth Marsh Heron 42")], options);
    expect(chunk!.content).toBe("Site Species Count\nNorth Marsh Heron 42");
  });
});

describe("chunkBlocks keeps each kind of block as a reader meets it", () => {
  const options: ChunkOptions = { maxTokens: 60, overlapTokens: 0, inputTokens: 254, countTokens };
  const code = "VACUUM (VERBOSE, ANALYZE) onek;\n-- reclaim space:\nVACUUM FULL onek;";

  it("keeps a code block whole, with its lines, and says where it sits in the chunk", () => {
    const [chunk] = chunkBlocks(
      [
        { kind: "paragraph", text: "To clean a table and update its statistics:", headings: [] },
        { kind: "code", text: code, headings: [] },
        { kind: "paragraph", text: "Both commands take a lock.", headings: [] },
      ],
      options,
    );
    expect(chunk!.content).toBe(`To clean a table and update its statistics:\n\n${code}\n\nBoth commands take a lock.`);
    const [start, end] = chunk!.code![0]!;
    expect(chunk!.content.slice(start, end)).toBe(code);
  });

  it("moves a code block that does not fit the chunk's rest to the next chunk rather than cutting it", () => {
    const long = prose(6);
    const chunks = chunkBlocks([{ kind: "paragraph", text: long, headings: [] }, { kind: "code", text: code, headings: [] }], options);
    const holding = chunks.filter((c) => c.content.includes("VACUUM FULL onek;"));
    expect(holding).toHaveLength(1);
    expect(holding[0]!.content).toContain(code);
  });

  it("cuts code longer than a chunk between lines only, every piece marked as code", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `SELECT count(*) FROM table_${i};`);
    const chunks = chunkBlocks([{ kind: "code", text: lines.join("\n"), headings: [] }], options);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.code).toEqual([[0, chunk.content.length]]);
      for (const line of chunk.content.split("\n")) expect(lines).toContain(line);
    }
  });

  it("puts list items and table rows on lines of their own", () => {
    const [chunk] = chunkBlocks(
      [
        { kind: "list-item", text: "To recover disk space.", headings: [], depth: 0, ordered: false },
        { kind: "list-item", text: "To update statistics.", headings: [], depth: 0, ordered: false },
        { kind: "table-row", text: "smallint | 2 bytes", cells: ["smallint", "2 bytes"], table: 1, header: false, headings: [] },
        { kind: "table-row", text: "integer | 4 bytes", cells: ["integer", "4 bytes"], table: 1, header: false, headings: [] },
      ],
      options,
    );
    expect(chunk!.content).toBe("To recover disk space.\nTo update statistics.\n\nsmallint | 2 bytes\ninteger | 4 bytes");
    expect(chunk!.code).toBeUndefined();
  });
});
