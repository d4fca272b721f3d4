import { availableParallelism } from "node:os";
import type { EmbeddingModelSettings } from "../../../db/schema";
import type { Embedder } from "../types";
import { readModelFolder, type ModelFolder } from "./folder";
import { createRunner, type Runner } from "./runner";
import { modelTokenizer } from "./tokens";

export interface OnnxEmbedderOptions {
  provider: string;
  model: string;
  /** The model's folder; a function when it has to be written first (the built-in model). */
  folder: string | (() => Promise<string>);
  /** What is known before the folder is read: the built-in model's window and width. */
  known?: { maxTokens: number; dimensions: number };
  /** Intra-op threads; defaults to one per core. */
  threads?: number;
  /** Tokens per batch; the runner's measured default unless a benchmark sweeps it. */
  tokenBudget?: number;
  /** Task prefixes, already chosen for the model (none for the built-in one). */
  queryPrefix?: string;
  documentPrefix?: string;
  settings: EmbeddingModelSettings;
}

/** An embedding model run in this process by ONNX Runtime, from a folder in Hugging Face's layout. */
export function createOnnxEmbedder(options: OnnxEmbedderOptions): Embedder {
  // A folder given by the user is read now, so a missing file stops the start with its name.
  const readNow = typeof options.folder === "string" ? readModelFolder(options.folder) : undefined;
  const maxTokens = options.known?.maxTokens ?? readNow!.maxTokens;
  const prefixes = { query: options.queryPrefix ?? "", document: options.documentPrefix ?? "" };

  let runner: Promise<Runner> | undefined;
  const start = () =>
    (runner ??= (async () => {
      const folder: ModelFolder = readNow ?? readModelFolder(await (options.folder as () => Promise<string>)());
      return createRunner({
        model: folder.modelPath,
        tokenizer: modelTokenizer(folder.tokenizer, folder.maxTokens),
        pooling: folder.pooling,
        threads: options.threads ?? availableParallelism(),
        tokenBudget: options.tokenBudget,
      });
    })().catch((error: unknown) => {
      runner = undefined;
      throw error;
    }));

  return {
    provider: options.provider,
    model: options.model,
    maxInputTokens: maxTokens,
    // [CLS]/[SEP] (or <s>/</s>) plus the document prefix, counted generously.
    reservedTokens: 2 + Math.ceil(prefixes.document.length / 2),
    settings: options.settings,
    dimensions: async () => options.known?.dimensions ?? (await start()).dimensions(),
    async embedDocuments(texts, onProgress, embedOptions) {
      const vectors = await (await start()).embed(
        texts.map((text) => prefixes.document + text),
        embedOptions?.urgent ?? false,
        (done) => onProgress?.(done, texts.length),
      );
      return vectors.map((vector) => Array.from(vector));
    },
    async embedQuery(text) {
      const [vector] = await (await start()).embed([prefixes.query + text], true);
      return Array.from(vector!);
    },
    async close() {
      const started = runner;
      runner = undefined;
      await (await started?.catch(() => undefined))?.close();
    },
  };
}
