import { Tokenizer } from "@huggingface/tokenizers";

/**
 * Token ids as the model reads them: the tokenizer's own special tokens
 * ([CLS] … [SEP] for BERT, <s> … </s> for others) around the text, and texts
 * longer than the model's window cut as Hugging Face truncates them, keeping
 * the specials.
 */
export interface ModelTokenizer {
  encode(text: string): number[];
}

export function modelTokenizer(tokenizerJson: object, maxTokens: number): ModelTokenizer {
  const tokenizer = new Tokenizer(tokenizerJson, {});
  // Where the text goes between the specials: found once from a one-token text.
  const probe = tokenizer.encode("a", { add_special_tokens: false }).ids;
  const framed = tokenizer.encode("a", { add_special_tokens: true }).ids;
  const before = probe.length === 1 ? framed.indexOf(probe[0]!) : 0;
  const prefix = framed.slice(0, Math.max(0, before));
  const suffix = framed.slice(Math.max(0, before) + probe.length);
  const room = maxTokens - prefix.length - suffix.length;
  return {
    encode(text) {
      const body = tokenizer.encode(text, { add_special_tokens: false }).ids;
      return [...prefix, ...body.slice(0, room), ...suffix];
    },
  };
}
