import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../db/client";
import { textArrayLiteral } from "../db/array-literal";
import type { ChatModel } from "../providers/chat";
import { TERM_IDF, TEXT_SEARCH_CONFIG } from "../retrieve/keyword";
import type { Turn } from "./prompt";

/**
 * Follow-up questions ("how do I install it?") mean nothing to a search
 * engine on their own. Before retrieving, a follow-up becomes a standalone
 * query: by the language model when one answers, otherwise by carrying the
 * earlier question's subject words into it.
 */

const REFERRING = /\b(it|its|it's|they|them|their|theirs|this|that|these|those|he|him|his|she|her|hers|there|such|same|one|ones|former|latter|above)\b/i;

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}._-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? [];
}

const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);

/** The words of a text that carry meaning, as keyword search reads them: PostgreSQL's lexemes, its stop words dropped. */
export async function contentWordCount(db: Database, text: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select coalesce(array_length(tsvector_to_array(to_tsvector(${config}, ${text})), 1), 0)::int as n`);
  return Number(row!.n);
}

/** "And …?", "What about …?", "Also …": a question that continues the one before. */
const CONTINUES = /^\s*(and|also|so|but|what about|how about|then)\b/i;

/**
 * Whether the question leans on the conversation: it refers back, continues,
 * or is too short to stand alone (`contentWords`: contentWordCount's answer).
 */
export function isFollowUp(question: string, history: Turn[], contentWords: number): boolean {
  if (!history.some((turn) => turn.role === "user")) return false;
  return REFERRING.test(question) || CONTINUES.test(question) || contentWords <= 2;
}

/** Words of the earlier subject carried into a follow-up: the rarest in the library say most what it was about. */
const CARRIED_WORDS = 4;

/**
 * Without a model, a follow-up carries the earlier question's subject into
 * the search: its rarest words (by their idf in the library, as keyword
 * search weighs them), in the order they were asked, after the follow-up's
 * own words. "Does it lock the table?" after "How do I reclaim disk space
 * after deleting a lot of rows?" searches "Does it lock the table? (reclaim
 * disk space deleting)".
 */
export async function rewriteWithoutModel(db: Database, question: string, previousQuery: string): Promise<string> {
  const candidates = [...new Set(words(previousQuery))];
  if (candidates.length === 0) return question.trim();
  // A word's idf is 0 when the follow-up already says it (by lexeme: "tables" is "table").
  const rows = await queryRows<{ i: number; idf: number }>(db, sql`
    select w.i::int as i,
           coalesce(max(case when t.term is null or s.term = any(tsvector_to_array(to_tsvector(${config}, ${question}))) then 0 else ${TERM_IDF} end), 0)::float8 as idf
    from unnest(${textArrayLiteral(candidates)}::text[]) with ordinality as w(word, i)
    cross join keyword_corpus k
    left join lateral unnest(tsvector_to_array(to_tsvector(${config}, w.word))) as s(term) on true
    left join keyword_terms t on t.term = s.term
    group by w.i`);
  const idf = new Map(rows.map((row) => [Number(row.i) - 1, Number(row.idf)]));
  // Stop words (PostgreSQL's English list), words the follow-up has, and words the library does not hold carry nothing.
  const ranked = candidates.map((word, i) => ({ word, i, idf: idf.get(i) ?? 0 })).filter((c) => c.idf > 0);
  const carried = ranked
    .sort((a, b) => b.idf - a.idf)
    .slice(0, CARRIED_WORDS)
    .sort((a, b) => a.i - b.i)
    .map((c) => c.word);
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
