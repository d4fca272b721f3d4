import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "@/lib/errors";
import { readDocument } from "@/lib/ingest/read-document";
import { createDocumentReader } from "@/lib/ingest/reader";

const options = { chunking: { size: 200, overlap: 40 }, inputTokens: 254 };
const csvOf = (rows: number) =>
  new TextEncoder().encode(["id,station,reading", ...Array.from({ length: rows }, (_, i) => `${i},station ${i % 97},${(i * 7) % 1000}`)].join("\n"));
const document = (filename: string, format: string) => ({ filename, format, title: "", titleGiven: false });

describe("reading documents in worker threads", () => {
  const readers: { close(): Promise<void> }[] = [];
  const reader = (limits: Parameters<typeof createDocumentReader>[0]) => {
    const created = createDocumentReader(limits);
    readers.push(created);
    return created;
  };
  afterAll(() => Promise.all(readers.map((r) => r.close())));

  it("reads a document as this thread would, and a refused file with the same 4xx", async () => {
    const threads = reader({ threads: 2, memoryMb: 512, timeoutMs: 60_000 });
    const bytes = csvOf(500);
    expect(await threads.read(options, document("readings.csv", "csv"), bytes)).toEqual(await readDocument(options, document("readings.csv", "csv"), bytes));
    const refused = await threads.read(options, document("blank.txt", "text"), new TextEncoder().encode("   \n ")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(refused).toMatchObject({ code: "empty_content", status: 422, message: "blank.txt contains no text." });
  });

  it("fails a document that takes too long with the reason, and reads the next one on a new thread", async () => {
    const threads = reader({ threads: 1, memoryMb: 512, timeoutMs: 5000 });
    const slow = await threads.read(options, document("huge.csv", "csv"), csvOf(200_000)).catch((e: unknown) => e);
    expect(slow).toMatchObject({ code: "too_slow_to_read", status: 422 });
    expect((slow as Error).message).toBe("huge.csv took longer than 5 s to read; split it into smaller files.");
    const next = await threads.read(options, document("small.txt", "text"), new TextEncoder().encode("A short note about tides."));
    expect(next.pieces.map((p) => p.content)).toEqual(["A short note about tides."]);
  });

  it("fails a document that needs more memory than a thread may use, and keeps reading others", async () => {
    const threads = reader({ threads: 1, memoryMb: 160, timeoutMs: 120_000 });
    const large = await threads.read(options, document("huge.csv", "csv"), csvOf(200_000)).catch((e: unknown) => e);
    expect(large).toMatchObject({ code: "too_large_to_read", status: 422, message: "huge.csv needs more than 160 MB of memory to read; split it into smaller files." });
    const next = await threads.read(options, document("small.txt", "text"), new TextEncoder().encode("Another short note."));
    expect(next.pieces).toHaveLength(1);
  });
});
