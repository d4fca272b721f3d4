import { afterAll } from "vitest";
import type { Embedder } from "@/lib/providers/embedding";
import { createLocalEmbedder } from "@/lib/providers/embedding/local";

/** The real embedding model (all-MiniLM-L6-v2 on both cores) for one test file, closed after its tests. */
export function testEmbedder() {
  const embedder = createLocalEmbedder({ threads: 2 });
  afterAll(() => embedder.close());
  return embedder;
}

/** The embedder, held at the embedding step until the test lets it go: ingestion caught mid-way. */
export function gatedEmbedder(real: Embedder) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const embedder: Embedder = {
    ...real,
    embedDocuments: async (texts, onProgress) => {
      await gate;
      return real.embedDocuments(texts, onProgress);
    },
  };
  return { embedder, open };
}
