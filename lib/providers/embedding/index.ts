import type { Config } from "../../config";
import type { EmbeddingModel } from "../../db/schema";
import { basename, resolve } from "node:path";
import { ConfigError } from "../../config";
import { createLocalEmbedder } from "./local";
import { createOnnxEmbedder } from "./onnx/embedder";
import { ModelFolderError } from "./onnx/folder";
import { taskPrefixesFor } from "./prefixes";
import { createOpenAIEmbedder } from "./openai";
import type { Embedder } from "./types";

export type { Embedder } from "./types";

export function createEmbedder(config: Config): Embedder {
  if (config.EMBEDDING_PROVIDER === "local") {
    return createLocalEmbedder({ threads: config.EMBEDDING_THREADS, modelsDir: config.MODELS_DIR, weights: config.EMBEDDING_WEIGHTS });
  }
  if (config.EMBEDDING_PROVIDER === "onnx") {
    return onnxFolderEmbedder(config.EMBEDDING_MODEL_PATH!, config, {
      queryPrefix: config.EMBEDDING_QUERY_PREFIX,
      documentPrefix: config.EMBEDDING_DOCUMENT_PREFIX,
    });
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

/**
 * An embedder for a stored model: the configured one when it matches, else one
 * rebuilt from the model's saved settings (the API key comes from the current
 * configuration). Search uses this to keep querying the active model while the
 * configuration already names the next one.
 */
export function embedderForModel(model: EmbeddingModel, config: Config, configured: Embedder): Embedder {
  if (model.provider === configured.provider && model.name === configured.model) return configured;
  if (model.provider === "local") {
    return createLocalEmbedder({ threads: config.EMBEDDING_THREADS, modelsDir: config.MODELS_DIR, weights: model.settings.weights ?? "float" });
  }
  if (model.provider === "onnx") {
    return onnxFolderEmbedder(model.settings.modelPath ?? config.EMBEDDING_MODEL_PATH!, config, model.settings);
  }
  return createOpenAIEmbedder({
    baseURL: model.settings.baseURL ?? config.EMBEDDING_BASE_URL,
    apiKey: config.EMBEDDING_API_KEY,
    model: model.name,
    dimensions: model.dimensions,
    maxInputTokens: model.settings.maxInputTokens ?? config.EMBEDDING_MAX_TOKENS,
    batchSize: config.EMBEDDING_BATCH_SIZE,
    queryPrefix: model.settings.queryPrefix,
    documentPrefix: model.settings.documentPrefix,
  });
}

/** A model folder on this machine; its folder name is the model's name, which picks its task prefixes. */
function onnxFolderEmbedder(path: string, config: Config, given: { queryPrefix?: string; documentPrefix?: string }): Embedder {
  const modelPath = resolve(path);
  const model = basename(modelPath);
  const defaults = taskPrefixesFor(model);
  const queryPrefix = given.queryPrefix ?? defaults.query;
  const documentPrefix = given.documentPrefix ?? defaults.document;
  try {
    return createOnnxEmbedder({
      provider: "onnx",
      model,
      folder: modelPath,
      threads: config.EMBEDDING_THREADS,
      queryPrefix,
      documentPrefix,
      settings: { modelPath, queryPrefix, documentPrefix },
    });
  } catch (error) {
    if (error instanceof ModelFolderError) throw new ConfigError(`EMBEDDING_MODEL_PATH: ${error.message}`);
    throw error;
  }
}
