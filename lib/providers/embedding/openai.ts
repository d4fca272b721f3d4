import OpenAI from "openai";
import { EmbedderError } from "./errors";
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

interface TaskPrefixes {
  query: string;
  document: string;
}

/**
 * Models trained with task prefixes lose much of their quality without them;
 * these are the prefixes their model cards prescribe.
 */
export function taskPrefixesFor(model: string): TaskPrefixes {
  const name = model.toLowerCase();
  if (name.includes("nomic-embed")) return { query: "search_query: ", document: "search_document: " };
  if (/(^|[^a-z])e5([^a-z]|$)/.test(name)) return { query: "query: ", document: "passage: " };
  if (name.includes("bge-") && name.includes("en")) {
    return { query: "Represent this sentence for searching relevant passages: ", document: "" };
  }
  if (name.includes("mxbai-embed")) {
    return { query: "Represent this sentence for searching relevant passages: ", document: "" };
  }
  return { query: "", document: "" };
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
      throw await explain(error, client, options);
    }
    const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    if (vectors.length !== input.length || vectors.some((v) => !Array.isArray(v) || v.length === 0)) {
      throw new EmbedderError(
        "embedder_bad_response",
        `The embedding server at ${options.baseURL} returned ${vectors.length} vectors for ${input.length} texts. Check that EMBEDDING_MODEL (${options.model}) is an embedding model.`,
      );
    }
    const length = vectors[0]!.length;
    if (knownDimensions === undefined) knownDimensions = length;
    if (vectors.some((v) => v.length !== knownDimensions)) {
      throw new EmbedderError(
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

async function explain(error: unknown, client: OpenAI, options: OpenAIEmbedderOptions): Promise<EmbedderError> {
  const where = `the embedding server at ${options.baseURL} (EMBEDDING_BASE_URL)`;
  if (error instanceof OpenAI.APIConnectionError) {
    return new EmbedderError(
      "embedder_unavailable",
      `Cannot reach ${where}. Start LM Studio's local server (or Ollama, vLLM), or set EMBEDDING_BASE_URL to a running OpenAI-compatible server; unset EMBEDDING_PROVIDER to use the built-in model.`,
      { cause: error },
    );
  }
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new EmbedderError(
      "embedder_unauthorized",
      `${capitalize(where)} refused the API key. Set EMBEDDING_API_KEY to a valid key.`,
      { cause: error },
    );
  }
  if (error instanceof OpenAI.APIError && (error.status === 404 || /model/i.test(error.message))) {
    const available = await listModels(client);
    const hint = available.length > 0 ? ` Models it has: ${available.join(", ")}.` : "";
    return new EmbedderError(
      "embedder_model_not_found",
      `${capitalize(where)} has no embedding model "${options.model}" (EMBEDDING_MODEL): load it there or set EMBEDDING_MODEL to one it serves.${hint}`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new EmbedderError("embedder_bad_response", `${capitalize(where)} failed: ${detail}`, { cause: error });
}

async function listModels(client: OpenAI): Promise<string[]> {
  try {
    const page = await client.models.list();
    return page.data.map((m) => m.id).slice(0, 20);
  } catch {
    return [];
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
