import type { Config } from "../../config";
import { createLocalEmbedder } from "./local";
import { createOpenAIEmbedder } from "./openai";
import type { Embedder } from "./types";

export type { Embedder } from "./types";

export function createEmbedder(config: Config): Embedder {
  if (config.EMBEDDING_PROVIDER === "local") {
    return createLocalEmbedder({ threads: config.EMBEDDING_THREADS });
  }
  return createOpenAIEmbedder({
    baseURL: config.EMBEDDING_BASE_URL,
    apiKey: config.EMBEDDING_API_KEY,
    model: config.EMBEDDING_MODEL,
    dimensions: config.EMBEDDING_DIMENSIONS,
    maxInputTokens: config.EMBEDDING_MAX_TOKENS,
    batchSize: config.EMBEDDING_BATCH_SIZE,
    queryPrefix: config.EMBEDDING_QUERY_PREFIX,
    documentPrefix: config.EMBEDDING_DOCUMENT_PREFIX,
  });
}
