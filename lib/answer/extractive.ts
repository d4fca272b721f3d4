import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../db/client";
import { textArrayLiteral } from "../db/array-literal";
import { TEXT_SEARCH_CONFIG } from "../retrieve/keyword";
import type { Source } from "./sources";

/**
 * The answer when no language model is configured or reachable: the
 * sentences of the sources that best cover the question, quoted with their
 * citations. Coverage is measured as keyword search measures relevance: the
 * question's words stemmed by PostgreSQL's text search, each weighted by its
 * idf in the library, so a sentence matching a rare, telling word outranks
 * one matching a common word.
 */

export const EXTRACTIVE_LABEL = "Extractive answer: no language model wrote this; these are the sentences of your documents that best match the question.";

/** A sentence must cover at least this share of the question's weighted words to be quoted. */
const MIN_COVERAGE = 0.3;
const MAX_SENTENCES = 3;
/** Sentences beyond this many characters are cut at a word boundary when quoted. */
const MAX_SENTENCE_CHARS = 600;

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

interface Sentence {
  text: string;
  /** The source's title and headings: words there say which document, not which sentence, answers. */
  context: string;
  source: Source;
  /** Position among all sentences: sources in rank order, sentences in reading order. */
  index: number;
}

export function splitSentences(sources: Source[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const source of sources) {
    const context = [source.documentTitle, ...(source.location.headings ?? [])].join(" ");
    // Line breaks end sentences too: headings, list items and table rows have no full stop.
    for (const line of source.content.split(/\n+/)) {
      for (const { segment } of segmenter.segment(line)) {
        const text = segment.trim();
        if (/[\p{L}\p{N}]/u.test(text)) sentences.push({ text, context, source, index: sentences.length });
      }
    }
  }
  return sentences;
}

export interface ScoredSentence extends Sentence {
  /**
   * 0–1: the idf-weighted share of the question's words found in the sentence
   * or its source's title and headings; 0 when the sentence itself has none.
   */
  coverage: number;
}

export async function scoreSentences(db: Database, question: string, sentences: Sentence[]): Promise<ScoredSentence[]> {
  if (sentences.length === 0) return [];
  const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);
  const rows = await queryRows<{ index: number; own: boolean; matched: number; total: number }>(db, sql`
    with terms as (
      select q.term, ln(1 + (greatest(k.chunks, 1) - coalesce(t.chunks, 0) + 0.5) / (coalesce(t.chunks, 0) + 0.5)) as idf
      from (select distinct unnest(tsvector_to_array(to_tsvector(${config}, ${question}))) as term) q
      cross join keyword_corpus k
      left join keyword_terms t on t.term = q.term
    )
    select s.i::int - 1 as index,
           exists (select from terms where terms.term = any(tsvector_to_array(to_tsvector(${config}, s.text)))) as own,
           coalesce((select sum(terms.idf) from terms
                     where terms.term = any(tsvector_to_array(to_tsvector(${config}, s.text || ' ' || c.context)))), 0)::float8 as matched,
           (select coalesce(sum(idf), 0) from terms)::float8 as total
    from unnest(${textArrayLiteral(sentences.map((s) => s.text))}::text[]) with ordinality as s(text, i)
    join unnest(${textArrayLiteral(sentences.map((s) => s.context))}::text[]) with ordinality as c(context, i) on c.i = s.i`);
  return rows.map((row) => ({
    ...sentences[row.index]!,
    coverage: row.own && Number(row.total) > 0 ? Number(row.matched) / Number(row.total) : 0,
  }));
}

function quote(text: string): string {
  if (text.length <= MAX_SENTENCE_CHARS) return text;
  return `${text.slice(0, MAX_SENTENCE_CHARS).replace(/\s+\S*$/, "")} …`;
}

/**
 * Picks the best-covering sentences (best source first on ties), at most one
 * near-repeat, and writes them as a cited answer; null when no sentence covers
 * enough of the question to count as an answer.
 */
export async function extractiveAnswer(db: Database, question: string, sources: Source[]): Promise<string | null> {
  const scored = await scoreSentences(db, question, splitSentences(sources));
  const best = scored
    .filter((s) => s.coverage >= MIN_COVERAGE)
    .sort((a, b) => b.coverage - a.coverage || a.index - b.index);
  const chosen: ScoredSentence[] = [];
  for (const sentence of best) {
    if (chosen.length === MAX_SENTENCES) break;
    // A later sentence must add something: much lower coverage than the best is noise.
    if (chosen.length > 0 && sentence.coverage < chosen[0]!.coverage * 0.6) break;
    if (chosen.some((c) => c.text === sentence.text)) continue;
    chosen.push(sentence);
  }
  if (chosen.length === 0) return null;
  return chosen
    .sort((a, b) => a.index - b.index)
    .map((s) => `${quote(s.text)} [${s.source.number}]`)
    .join("\n\n");
}
