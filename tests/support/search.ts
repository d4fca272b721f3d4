import type { Database } from "@/lib/db/client";
import type { EmbeddingModel } from "@/lib/db/schema";
import type { Embedder } from "@/lib/providers/embedding";
import { semanticSearch } from "@/lib/retrieve/semantic";

/** Semantic top-k for a text query, as the search API runs it. */
export async function semanticByText(
  deps: { db: Database; embedder: Embedder; model: EmbeddingModel },
  query: string,
  limit: number,
) {
  return semanticSearch(deps.db, deps.model, await deps.embedder.embedQuery(query), { limit, efSearch: 100 });
}
