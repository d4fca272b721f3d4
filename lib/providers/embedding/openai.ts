import OpenAI from "openai";
import { explainOpenAIError, ProviderError } from "../errors";
import { taskPrefixesFor } from "./prefixes";
import type { Embedder } from "./types";

export interface OpenAIEmbedderOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Expected vector length; when unset, the server is asked once. */
  dimensions?: number;
  maxInputTokens: number;
  batchSize: number;
  queryPrefix?: string;
  documentPrefix?: string;
}

/** Embeddings from any server that speaks OpenAI's /v1/embeddings: LM Studio, Ollama, vLLM, OpenAI. */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    maxRetries: 2,
    timeout: 120_000,
  });
  const defaults = taskPrefixesFor(options.model);
  const prefixes = {
    query: options.queryPrefix ?? defaults.query,
    document: options.documentPrefix ?? defaults.document,
  };
  let knownDimensions = options.dimensions;

  async function request(input: string[]): Promise<number[][]> {
    let response;
    try {
      response = await client.embeddings.create({ model: options.model, input, encoding_format: "float" });
    } catch (error) {
      throw await explainOpenAIError(error, client, {
        kind: "embedder",
        variables: "EMBEDDING",
        baseURL: options.baseURL,
        model: options.model,
      });
    }
    const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    if (vectors.length !== input.length || vectors.some((v) => !Array.isArray(v) || v.length === 0)) {
      throw new ProviderError(
        "embedder_bad_response",
        `The embedding server at ${options.baseURL} returned ${vectors.length} vectors for ${input.length} texts. Check that EMBEDDING_MODEL (${options.model}) is an embedding model.`,
      );
    }
    const length = vectors[0]!.length;
    if (knownDimensions === undefined) knownDimensions = length;
    if (vectors.some((v) => v.length !== knownDimensions)) {
      throw new ProviderError(
        "embedder_bad_response",
        `The embedding model ${options.model} returned ${length}-dimensional vectors, but EMBEDDING_DIMENSIONS is ${knownDimensions}. Set EMBEDDING_DIMENSIONS=${length} or unset it.`,
      );
    }
    return vectors;
  }

  return {
    provider: "openai",
    model: options.model,
    maxInputTokens: options.maxInputTokens,
    // Special tokens plus the prefix, counted generously.
    reservedTokens: 2 + Math.ceil(prefixes.document.length / 2),
    settings: {
      baseURL: options.baseURL,
      queryPrefix: prefixes.query,
      documentPrefix: prefixes.document,
      maxInputTokens: options.maxInputTokens,
    },
    async dimensions() {
      if (knownDimensions === undefined) await request(["dimension probe"]);
      return knownDimensions!;
    },
    async embedDocuments(texts, onProgress) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += options.batchSize) {
        const batch = texts.slice(i, i + options.batchSize).map((t) => prefixes.document + t);
        vectors.push(...(await request(batch)));
        onProgress?.(vectors.length, texts.length);
      }
      return vectors;
    },
    async embedQuery(text) {
      const [vector] = await request([prefixes.query + text]);
      return vector!;
    },
    close: async () => {},
  };
}
