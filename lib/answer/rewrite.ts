import type { ChatModel } from "../providers/chat";
import type { Turn } from "./prompt";

/**
 * Follow-up questions ("how do I install it?") mean nothing to a search
 * engine on their own. Before retrieving, a follow-up becomes a standalone
 * query: by the language model when one answers, otherwise by carrying the
 * earlier question's subject words into it.
 */

const REFERRING = /\b(it|its|it's|they|them|their|theirs|this|that|these|those|he|him|his|she|her|hers|there|such|same|one|ones|former|latter|above)\b/i;

const STOP_WORDS = new Set(
  `a an and are as at be been but by can could did do does doing for from had has have how i if in into is it its
  me my no not of on or our please should so tell than that the their them then there these they this those to
  was we were what when where which who whom why will with would you your about explain describe give show more
  also again else much many any some`.split(/\s+/),
);

function contentWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}._-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu)?.filter((w) => !STOP_WORDS.has(w.toLowerCase())) ?? [];
}

/** Whether the question leans on the conversation: it refers back, or is too short to stand alone. */
export function isFollowUp(question: string, history: Turn[]): boolean {
  if (!history.some((turn) => turn.role === "user")) return false;
  return REFERRING.test(question) || contentWords(question).length <= 2;
}

/** The earlier subject's words (from the previous standalone query) appended to the follow-up. */
export function rewriteWithoutModel(question: string, previousQuery: string): string {
  const present = new Set(contentWords(question).map((w) => w.toLowerCase()));
  const carried = [...new Set(contentWords(previousQuery))].filter((w) => !present.has(w.toLowerCase()));
  return carried.length ? `${question.trim()} (${carried.join(" ")})` : question.trim();
}

const REWRITE_INSTRUCTIONS = `Rewrite the user's last question as one standalone search query that can be understood without the conversation: replace pronouns and references with what they refer to. Reply with the query only, no quotes, no explanation.`;

/** Asks the model for a standalone query; short, deterministic, and never longer than needed. */
export async function rewriteWithModel(
  chat: ChatModel,
  model: string,
  question: string,
  history: Turn[],
  signal?: AbortSignal,
): Promise<string> {
  const transcript = history
    .slice(-6)
    .map((turn) => `${turn.role === "user" ? "User" : "Assistant"}: ${turn.content.slice(0, 1000)}`)
    .join("\n");
  let query = "";
  for await (const delta of chat.stream(
    [
      { role: "system", content: REWRITE_INSTRUCTIONS },
      { role: "user", content: `Conversation:\n${transcript}\n\nLast question: ${question}` },
    ],
    { signal, model, temperature: 0, maxTokens: 100 },
  )) {
    query += delta;
  }
  query = query.trim().replace(/^["'“]|["'”]$/g, "").split("\n")[0]!.trim();
  return query || question;
}
