import { afterAll } from "vitest";
import { createLocalEmbedder } from "@/lib/providers/embedding/local";

/** The real embedding model (all-MiniLM-L6-v2 on both cores) for one test file, closed after its tests. */
export function testEmbedder() {
  const embedder = createLocalEmbedder({ threads: 2 });
  afterAll(() => embedder.close());
  return embedder;
}
