import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Pooling } from "./runner";

/**
 * An embedding model as Hugging Face and sentence-transformers lay it out in
 * a folder: `model.onnx` (or `onnx/model.onnx`), `tokenizer.json`,
 * `config.json`, and `1_Pooling/config.json` saying mean or CLS pooling;
 * `sentence_bert_config.json`, when present, gives the input window.
 */
export interface ModelFolder {
  /** The folder's name, which also picks the task prefixes of models trained with them. */
  name: string;
  modelPath: string;
  tokenizer: object;
  pooling: Pooling;
  maxTokens: number;
}

/** A folder pgrag cannot run, with the one thing that is wrong with it. */
export class ModelFolderError extends Error {}

const readJson = (path: string, what: string): Record<string, unknown> => {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ModelFolderError(`${what} (${path}) is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
};

export function readModelFolder(folder: string): ModelFolder {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new ModelFolderError(`The model folder ${dir} does not exist.`);
  const modelPath = [join(dir, "model.onnx"), join(dir, "onnx", "model.onnx")].find((path) => existsSync(path));
  if (!modelPath) throw new ModelFolderError(`The model folder ${dir} has no model.onnx (nor onnx/model.onnx).`);
  const need = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new ModelFolderError(`The model folder ${dir} has no ${name}.`);
    return path;
  };
  const tokenizer = readJson(need("tokenizer.json"), "tokenizer.json");
  const config = readJson(need("config.json"), "config.json");
  const poolingConfig = readJson(need(join("1_Pooling", "config.json")), "1_Pooling/config.json");
  const pooling: Pooling | undefined = poolingConfig.pooling_mode_cls_token ? "cls" : poolingConfig.pooling_mode_mean_tokens ? "mean" : undefined;
  if (!pooling) {
    throw new ModelFolderError(`1_Pooling/config.json in ${dir} asks for a pooling pgrag does not run; it runs mean pooling (pooling_mode_mean_tokens) or the CLS token (pooling_mode_cls_token).`);
  }
  const sentenceConfig = existsSync(join(dir, "sentence_bert_config.json")) ? readJson(join(dir, "sentence_bert_config.json"), "sentence_bert_config.json") : {};
  const window = [sentenceConfig.max_seq_length, config.max_position_embeddings, config.n_positions].find(
    (value): value is number => typeof value === "number" && value > 0,
  );
  return { name: basename(dir), modelPath, tokenizer, pooling, maxTokens: window ?? 512 };
}
