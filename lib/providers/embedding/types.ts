import type { EmbeddingModelSettings } from "../../db/schema";

export interface EmbedOptions {
  urgent?: boolean;
}

/** What ingestion and retrieval need from an embedding model, whoever serves it. */
export interface Embedder {
  /** "local" for the in-process model, "openai" for any OpenAI-compatible server. */
  readonly provider: string;
  readonly model: string;
  /** Longest input the model reads, in its own tokens, before it truncates. */
  readonly maxInputTokens: number;
  /** Tokens the document prefix and special tokens take from maxInputTokens. */
  readonly reservedTokens: number;
  /** What it takes to build this embedder again later (no secrets). */
  readonly settings: EmbeddingModelSettings;
  /** Known up front for local models; a remote one may have to be asked. */
  dimensions(): Promise<number>;
  /**
   * Passages, with the model's document prefix. `urgent` puts them ahead of
   * ingestion, as a query is: an answer is waiting for them.
   */
  embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void, options?: EmbedOptions): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
  close(): Promise<void>;
}

/** The fields that say which model an embedder is, for wrappers that change how it is called, not what it computes. */
export function modelIdentity(inner: Embedder): Pick<Embedder, "provider" | "model" | "maxInputTokens" | "reservedTokens" | "settings"> {
  return {
    provider: inner.provider,
    model: inner.model,
    maxInputTokens: inner.maxInputTokens,
    reservedTokens: inner.reservedTokens,
    settings: inner.settings,
  };
}
