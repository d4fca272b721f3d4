import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";

let encoder: Tiktoken | undefined;

/**
 * Counts tokens as a chat model sees them, with OpenAI's o200k BPE. Local
 * models (Llama, Qwen, Mistral) use other vocabularies of similar density, so
 * the count is an estimate: set CHAT_CONTEXT_TOKENS a little below the
 * model's real window if a model's vocabulary is much denser.
 */
export function countChatTokens(text: string): number {
  encoder ??= new Tiktoken(o200k);
  return encoder.encode(text).length;
}
