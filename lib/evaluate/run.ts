import "server-only";
import type { Database } from "../db/client";
import type { EmbeddingModel } from "../db/schema";
import type { Embedder } from "../providers/embedding";
import type { FusionMethod, RankedList } from "../retrieve/fusion";
import { keywordSearch, type Bm25Parameters } from "../retrieve/keyword";
import { fusions } from "../retrieve/search";
import { semanticSearch } from "../retrieve/semantic";
import type { ChunkHit } from "../retrieve/types";
import type { BeirQuery } from "./beir";

/** Both retrievers' chunk rankings for one query: every mode is scored from these. */
export interface QueryCandidates {
  semantic: ChunkHit[];
  keyword: ChunkHit[];
}

/**
 * Chunks fetched per retriever and query. Documents are ranked by their best
 * chunk, so 300 chunks leave 100 distinct documents for Recall@100 even when
 * a document has several chunks near the top; it is also the depth search()
 * gives each retriever for hybrid top_k 100.
 */
export const CANDIDATE_CHUNKS = 300;

export async function retrieveCandidates(
  deps: { db: Database; embedder: Embedder; model: EmbeddingModel },
  queries: BeirQuery[],
  options: { efSearch: number; bm25: Bm25Parameters },
  onProgress?: (done: number) => void,
): Promise<Map<string, QueryCandidates>> {
  const candidates = new Map<string, QueryCandidates>();
  for (const [i, query] of queries.entries()) {
    const vector = await deps.embedder.embedQuery(query.text);
    const semantic = await semanticSearch(deps.db, deps.model, vector, { limit: CANDIDATE_CHUNKS, efSearch: options.efSearch });
    const keyword = await keywordSearch(deps.db, query.text, { limit: CANDIDATE_CHUNKS, bm25: options.bm25 });
    candidates.set(query.id, { semantic, keyword });
    onProgress?.(i + 1);
  }
  return candidates;
}

export type EvaluatedMode =
  | { mode: "semantic" }
  | { mode: "keyword" }
  | {
      mode: "hybrid";
      fusion: FusionMethod;
      semanticWeight: number;
      keywordWeight: number;
      /** Fuse documents (each at its best chunk in each ranking) instead of chunks. */
      perDocument?: boolean;
    };

/** Ranks documents for each query under one mode: chunks ranked (fused for hybrid), then each document at its best chunk. */
export function rankDocuments(
  candidates: Map<string, QueryCandidates>,
  mode: EvaluatedMode,
  corpusIds: Map<number, string[]>,
): Map<string, string[]> {
  const run = new Map<string, string[]>();
  for (const [queryId, lists] of candidates) {
    let chunks: ChunkHit[];
    if (mode.mode === "hybrid") {
      const prepare = (hits: ChunkHit[]) => (mode.perDocument ? bestChunkPerDocument(hits) : hits);
      const ranked: RankedList[] = [
        { mode: "semantic", hits: prepare(lists.semantic), weight: mode.semanticWeight },
        { mode: "keyword", hits: prepare(lists.keyword), weight: mode.keywordWeight },
      ];
      chunks = fusions[mode.fusion](ranked).map((f) => f.hit);
    } else {
      chunks = lists[mode.mode];
    }
    const documents: string[] = [];
    const seen = new Set<number>();
    for (const chunk of chunks) {
      if (seen.has(chunk.documentId)) continue;
      seen.add(chunk.documentId);
      documents.push(...(corpusIds.get(chunk.documentId) ?? []));
    }
    run.set(queryId, documents);
  }
  return run;
}

/** Each document once, at its best chunk, keyed by the document so fusion meets it in both rankings. */
function bestChunkPerDocument(hits: ChunkHit[]): ChunkHit[] {
  const best = new Map<number, ChunkHit>();
  for (const hit of hits) if (!best.has(hit.documentId)) best.set(hit.documentId, { ...hit, chunkId: hit.documentId });
  return [...best.values()];
}
