import { describe, expect, it } from "vitest";
import { MIN_PADDED_FILL, takeBatch } from "../../lib/providers/embedding/onnx/batches";

const text = (name: string, tokens: number) => ({ name, ids: Array.from({ length: tokens }, () => 1) });
const names = (items: { name: string }[]) => items.map((item) => item.name);

describe("takeBatch", () => {
  const limits = { tokenBudget: 2048, maxBatch: 64 };

  it("leaves a short text out of a batch of long ones, for the next batch", () => {
    const queue = [text("long-1", 200), text("short-1", 40), text("long-2", 190), text("short-2", 45), text("long-3", 180)];
    expect(names(takeBatch(queue, limits))).toEqual(["long-1", "long-2", "long-3"]);
    expect(names(queue)).toEqual(["short-1", "short-2"]);
    expect(names(takeBatch(queue, limits))).toEqual(["short-1", "short-2"]);
    expect(queue).toEqual([]);
  });

  it("always starts with the oldest text, however it compares with the rest", () => {
    const queue = [text("oldest", 10), text("a", 300), text("b", 300)];
    expect(names(takeBatch(queue, limits))).toEqual(["oldest"]);
    expect(names(queue)).toEqual(["a", "b"]);
  });

  it("keeps every batch within the token budget counted with padding, and within the batch size", () => {
    const queue = Array.from({ length: 40 }, (_, i) => text(`t${i}`, 100 + (i % 5) * 10));
    let taken = 0;
    while (queue.length > 0) {
      const batch = takeBatch(queue, { tokenBudget: 1000, maxBatch: 6 });
      const lengths = batch.map((item) => item.ids.length);
      expect(Math.max(...lengths) * batch.length).toBeLessThanOrEqual(1000);
      expect(batch.length).toBeLessThanOrEqual(6);
      expect(Math.min(...lengths)).toBeGreaterThanOrEqual(Math.max(...lengths) * MIN_PADDED_FILL);
      taken += batch.length;
    }
    expect(taken).toBe(40);
  });

  it("takes a text longer than the budget alone rather than never", () => {
    const queue = [text("huge", 5000), text("small", 4000)];
    expect(names(takeBatch(queue, limits))).toEqual(["huge"]);
    expect(names(takeBatch(queue, limits))).toEqual(["small"]);
  });
});
