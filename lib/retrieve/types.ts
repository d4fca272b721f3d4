import type { Format } from "../ingest/parse/types";
import type { ChunkLocation, CodeSpans } from "../documents/location";

export const searchModes = ["hybrid", "semantic", "keyword"] as const;
export type SearchMode = (typeof searchModes)[number];

/** A chunk a retriever found, with the retriever's own score. */
export interface ChunkHit {
  chunkId: number;
  documentId: number;
  documentTitle: string;
  documentFormat: Format;
  ordinal: number;
  content: string;
  location: ChunkLocation;
  /** Where code sits in `content`. */
  code: CodeSpans;
  /** Semantic: cosine similarity (1 − cosine distance). Keyword: BM25. */
  score: number;
  /**
   * The score on a fixed 0–1 scale that means the same for every query:
   * cosine similarity (negatives as 0), or BM25 divided by what a chunk holding
   * every query word at saturation would score (Σ idf·(k1+1)).
   */
  absoluteScore: number;
}

/** Limits a search to part of the library; every field narrows it further. */
export interface SearchFilters {
  documentIds?: number[];
  formats?: Format[];
  createdAfter?: Date;
  createdBefore?: Date;
}
