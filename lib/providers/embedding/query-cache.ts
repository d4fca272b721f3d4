import { modelIdentity, type Embedder } from "./types";

/**
 * Remembers the vectors of recent queries. A person refining a search changes
 * the mode, a filter or the number of results far more often than the words,
 * and each change would otherwise wait on the model again.
 */
export function withQueryCache(inner: Embedder, capacity = 256): Embedder {
  const recent = new Map<string, Promise<number[]>>();
  return {
    ...modelIdentity(inner),
    dimensions: () => inner.dimensions(),
    embedDocuments: (texts, onProgress, options) => inner.embedDocuments(texts, onProgress, options),
    embedQuery(text) {
      const hit = recent.get(text);
      if (hit) {
        // Least recently used first: re-insert to mark it fresh.
        recent.delete(text);
        recent.set(text, hit);
        return hit;
      }
      const vector = inner.embedQuery(text);
      recent.set(text, vector);
      // A failed embedding is not remembered: the next try asks the model again.
      vector.catch(() => recent.delete(text));
      if (recent.size > capacity) recent.delete(recent.keys().next().value!);
      return vector;
    },
    close: () => inner.close(),
  };
}
