import { startOpenAIStandIn } from "../tests/support/openai-standin";

/**
 * The language model the end-to-end tests' PostgreSQL server answers with: an
 * OpenAI-compatible server on a fixed port that streams, word by word, the
 * first sentence of source [1] with its citation, and rewrites follow-ups.
 */
export const CHAT_STANDIN_PORT = 3299;
export const CHAT_STANDIN_MODEL = "e2e-chat-model";

function quoteFirstSource(messages: { role: string; content: string }[]): string {
  const system = messages[0]?.content ?? "";
  // Asked to make a follow-up standalone: the question, with the conversation's first question for its subject.
  if (system.startsWith("Rewrite")) {
    const request = messages[1]?.content ?? "";
    const first = /^User: (.*)$/m.exec(request)?.[1] ?? "";
    const last = /Last question: (.*)$/m.exec(request)?.[1] ?? "";
    return `${last} (${first})`;
  }
  const source = /\n\[1\] [^\n]*\n([^\n]+)/.exec(system)?.[1];
  if (!source) return "I do not know from the documents.";
  const sentence = /[^.!?]+[.!?]/.exec(source)?.[0] ?? source;
  return `According to your documents: ${sentence.trim()} [1]`;
}

if (process.argv[1]?.endsWith("chat-standin.ts")) {
  await startOpenAIStandIn({
    port: CHAT_STANDIN_PORT,
    models: { [CHAT_STANDIN_MODEL]: { reply: quoteFirstSource, delayMs: 100 } },
  });
  console.log(`OpenAI-compatible stand-in on http://127.0.0.1:${CHAT_STANDIN_PORT}/v1`);
}
