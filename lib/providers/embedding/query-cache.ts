import { modelIdentity, type Embedder } from "./types";

/** The most recently used vectors, by text. A failed embedding is not remembered: the next try asks the model again. */
class RecentVectors {
  private readonly recent = new Map<string, Promise<number[]>>();
  constructor(private readonly capacity: number) {}

  get(text: string): Promise<number[]> | undefined {
    const hit = this.recent.get(text);
    if (hit) {
      // Least recently used first: re-insert to mark it fresh.
      this.recent.delete(text);
      this.recent.set(text, hit);
    }
    return hit;
  }

  set(text: string, vector: Promise<number[]>) {
    this.recent.set(text, vector);
    vector.catch(() => this.recent.delete(text));
    if (this.recent.size > this.capacity) this.recent.delete(this.recent.keys().next().value!);
  }
}

/**
 * Remembers the vectors of recent queries, and of the sentences recent
 * answers were read from. A person refining a search changes the mode, a
 * filter or the number of results far more often than the words; a follow-up,
 * a regenerated answer or a question asked again reads the same passages.
 * Each would otherwise wait on the model again. Ingestion, which embeds each
 * passage once, passes straight through.
 */
export function withQueryCache(inner: Embedder, capacity = 256, sentenceCapacity = 4096): Embedder {
  const queries = new RecentVectors(capacity);
  const sentences = new RecentVectors(sentenceCapacity);
  return {
    ...modelIdentity(inner),
    dimensions: () => inner.dimensions(),
    embedDocuments(texts, onProgress, options) {
      if (!options?.urgent) return inner.embedDocuments(texts, onProgress, options);
      const missing = [...new Set(texts.filter((text) => !sentences.get(text)))];
      if (missing.length > 0) {
        const batch = inner.embedDocuments(missing, undefined, options);
        missing.forEach((text, i) => sentences.set(text, batch.then((vectors) => vectors[i]!)));
      }
      // Read back before anything else can evict them: a batch larger than the capacity still answers whole.
      const vectors = texts.map((text) => sentences.get(text) ?? inner.embedDocuments([text], undefined, options).then(([v]) => v!));
      return Promise.all(vectors);
    },
    embedQuery(text) {
      const hit = queries.get(text);
      if (hit) return hit;
      const vector = inner.embedQuery(text);
      queries.set(text, vector);
      return vector;
    },
    close: () => inner.close(),
  };
}
