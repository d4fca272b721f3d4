import "server-only";
import { sql } from "drizzle-orm";
import type { Blockquote, Paragraph, PhrasingContent, Root, RootContent } from "mdast";
import { toMarkdown } from "mdast-util-to-markdown";
import { queryRows, type Database } from "../db/client";
import { textArrayLiteral } from "../db/array-literal";
import type { Embedder } from "../providers/embedding";
import { TERM_IDF, TEXT_SEARCH_CONFIG } from "../retrieve/keyword";
import { quotable, unitsOf, type Unit } from "./passages";
import type { Source } from "./sources";

/**
 * The answer when no language model is configured or reachable: the
 * sentences of the sources that best answer the question, quoted whole with
 * their citations.
 *
 * A sentence is scored by what it means and by the words it shares:
 * - meaning: the embedding model's similarity between the question and the
 *   sentence read under its headings (so "VACUUM FULL … reclaim the excess
 *   disk space" is found for "how do I get disk space back");
 * - words: the share of the question's words (stemmed as keyword search
 *   stems them, weighted by their idf in the library) the sentence holds, and
 *   at a lower weight those its headings or its label line hold;
 * - a sentence made of nothing but the question's own words adds nothing and
 *   counts for less.
 * The best sentence is quoted with the sentences it leans on: one starting
 * "It", "This", "However" brings the sentence before it; a "However" or
 * "Unless" after it comes along; a sentence ending in a colon brings the list
 * or code it introduces. A few more passages follow when they score nearly as
 * well. Passages are quoted in blocks, in reading order, each with its
 * citation; when they come from different documents, each says which.
 */

export interface ExtractiveDependencies {
  db: Database;
  embedder: Embedder;
}

/** Sentences compared with the question by the model: the best by words, and every sentence of the best-ranked sources. */
const BY_WORDS = 24;
const WHOLE_SOURCES = 3;
const MAX_EMBEDDED = 32;
const MAX_PASSAGES = 3;
const MAX_UNITS = 6;
/** A further passage must score this share of the best to be quoted. */
const RUNNER_UP = 0.8;

const LEANS_BACK =
  /^(it|its|this|these|that|those|they|their|them|such|however|therefore|thus|also|but|so|hence|otherwise|instead|then|here|there|both|either|neither|moreover|furthermore|additionally|consequently|similarly|likewise|in (this|that|such|either|both) cases?|in contrast|as a result|on the other hand|for (example|instance))\b|^(\S+\s+){0,5}(such an?|such cases|this case|these cases)\b/i;
const QUALIFIES = /^(however|but|note that|unless|except|otherwise|although|even so|only)\b/i;

/**
 * What kind of answer a question wants, and how a sentence shows it is one:
 * "How do I …" wants an instruction ("use VACUUM FULL", "you will need to
 * …"); "how many", "how long", "what is the default" want a quantity.
 */
const ANSWER_TYPES: { kind: "instruction" | "quantity"; asks: RegExp; answers: RegExp }[] = [
  {
    kind: "instruction",
    asks: /\bhow (do|can|should|would|could) (i|we|you|one)\b|\bhow to\b|\bwhat (should|can) i do\b/i,
    answers: /\b(use|using|run|running|set|setting|execute|call|enable|disable|specify|add|create|drop|issue|invoke|configure)\b|\byou (need|must|should|can|will need|have) to\b|\bby (running|using|setting|executing|calling)\b/i,
  },
  {
    kind: "quantity",
    asks: /\bhow (many|much|long|often|large|big|fast)\b|\bwhat is the default\b|\bdefaults? to\b|^\s*when\b/i,
    answers: /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once|hundred|thousand|million)\b/i,
  },
];

export function answerTypesOf(question: string) {
  return ANSWER_TYPES.filter((type) => type.asks.test(question));
}

/** Words a person uses around a question that say nothing about its subject. */
const FILLER = new Set(["lot", "lots", "bit", "way", "ways", "thing", "things", "kind", "sort", "stuff"]);

export interface ScoredUnit {
  unit: Unit;
  score: number;
  /** What the score is made of: meaning (cosine), and the shares of the question's words in the unit, its label and its headings. */
  parts: { meaning: number; own: number; subject: number; context: number; novelty: number; fits: number };
}

export async function extractiveAnswer(deps: ExtractiveDependencies, question: string, sources: Source[]): Promise<string | null> {
  const units = unitsOf(sources);
  const scored = await rankUnits(deps, question, sources, units);
  const first = scored[0];
  if (!first || (first.parts.own === 0 && first.score < 0.3)) return null;

  const passages: Unit[][] = [];
  const used = new Set<Unit>();
  for (const { unit, score } of scored) {
    if (passages.length === MAX_PASSAGES || passages.flat().length >= MAX_UNITS) break;
    if (passages.length > 0 && score < first.score * RUNNER_UP) break;
    if (used.has(unit) || passages.some((p) => p.some((u) => nearRepeat(u.text, unit.text)))) continue;
    const passage = withWhatItLeansOn(unit, units);
    // A passage that shares sentences with one already chosen, or follows right on from it, joins it.
    const joins = passages.find((p) => p.some((u) => passage.some((v) => v === u || (v.source === u.source && Math.abs(v.index - u.index) === 1))));
    if (joins) {
      const merged = [...new Set([...joins, ...passage])].sort((a, b) => a.index - b.index);
      if (merged.length > MAX_UNITS) continue;
      joins.splice(0, joins.length, ...merged);
    } else {
      passages.push(passage);
    }
    passage.forEach((u) => used.add(u));
  }
  return render(passages, question);
}

/** The quotable units of the sources, best answer first. */
export async function rankUnits(deps: ExtractiveDependencies, question: string, sources: Source[], units = unitsOf(sources)): Promise<ScoredUnit[]> {
  const candidates = dedupe(units).filter(quotable);
  if (candidates.length === 0) return [];

  // Words of every unit, candidates or not: a sentence is judged with the sentences it leans on.
  const words = await wordsOf(deps.db, question, units);
  const answerTypes = answerTypesOf(question);
  const judged = candidates.map((unit) => {
    const passage = withWhatItLeansOn(unit, units);
    return { unit, passage, ...lexicalScore(words, passage, unit, units) };
  });
  // A paraphrased question shares few words with its answer: the best-ranked sources are read whole.
  const chosen = judged
    .map((c) => ({ ...c, prior: c.own + c.subject + c.context }))
    .sort((a, b) => b.prior - a.prior || a.unit.index - b.unit.index)
    .filter((c, rank) => rank < BY_WORDS || c.unit.source.number <= WHOLE_SOURCES)
    .slice(0, MAX_EMBEDDED);
  const [questionVector, vectors] = await Promise.all([
    deps.embedder.embedQuery(question),
    deps.embedder.embedDocuments(chosen.map((c) => readAlone(c.unit)), undefined, { urgent: true }),
  ]);

  const scored: ScoredUnit[] = chosen.map((c, k) => {
    const { own, subject, context, novelty, leads } = c;
    const meaning = cosine(questionVector, vectors[k]!);
    // Read as a reader reads it, under its headings and label: "The default is 50 tuples" answers for autovacuum_vacuum_threshold.
    const inContext = own + subject + context;
    // A sentence made of the question's own words ("Recovering disk space") tells the reader nothing new.
    const repeats = novelty < 0.2 ? 0.6 : 1;
    const fits = answerTypes.some((type) => c.passage.some((u) => type.answers.test(u.text)));
    const score =
      (0.45 * meaning + 0.35 * inContext + 0.1 * own + 0.15 * subject + (leads ? 0.05 : 0) + (fits ? 0.1 : 0)) * repeats +
      0.05 * c.unit.source.score;
    return { unit: c.unit, score, parts: { meaning, own, subject, context, novelty, fits: fits ? 1 : 0 } };
  });
  return scored.sort((a, b) => b.score - a.score || a.unit.index - b.unit.index);
}

/** The same sentence in two overlapping chunks is quoted once, from the better-ranked one. */
function dedupe(units: Unit[]): Unit[] {
  const seen = new Set<string>();
  return units.filter((unit) => {
    const key = unit.text.toLowerCase().replace(/\s+/g, " ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the model reads for a sentence: the headings it sits under and its label, then the sentence. */
function readAlone(unit: Unit): string {
  const context = [...(unit.source.location.headings ?? []), ...(unit.label ? [unit.label] : [])].join(" › ");
  return context ? `${context}\n\n${unit.text}` : unit.text;
}

interface Words {
  /** The question's stems with their idf. */
  question: Map<string, number>;
  own: string[][];
  /** What the unit is about: the innermost heading (a section, or a definition list's term) and its label line. */
  subject: string[][];
  /** The document's title and the outer headings. */
  context: string[][];
}

/** Stems as keyword search makes them (PostgreSQL's text search) for the question and each unit, its subject and its context; idf from the library. */
async function wordsOf(db: Database, question: string, units: Unit[]): Promise<Words> {
  const config = sql.raw(`'${TEXT_SEARCH_CONFIG}'`);
  const texts = {
    own: units.map((u) => u.text),
    subject: units.map((u) => [u.source.location.headings?.at(-1) ?? "", u.label ?? ""].join(" ")),
    context: units.map((u) => [u.source.documentTitle, ...(u.source.location.headings ?? []).slice(0, -1)].join(" ")),
  };
  const stems = (kind: keyof typeof texts) => sql`
    select ${kind}::text as kind, s.i::int as i, tsvector_to_array(to_tsvector(${config}, s.text)) as stems, null::float8 as idf
    from unnest(${textArrayLiteral(texts[kind])}::text[]) with ordinality as s(text, i)`;
  const rows = await queryRows<{ kind: string; i: number; stems: string[]; idf: number | null }>(db, sql`
    with q as (select distinct unnest(tsvector_to_array(to_tsvector(${config}, ${question}))) as term)
    select 'question' as kind, 0 as i, array[q.term] as stems,
           ${TERM_IDF}::float8 as idf
    from q cross join keyword_corpus k left join keyword_terms t on t.term = q.term
    union all ${stems("own")} union all ${stems("subject")} union all ${stems("context")}`);
  const words: Words = { question: new Map(), own: units.map(() => []), subject: units.map(() => []), context: units.map(() => []) };
  for (const row of rows) {
    if (row.kind === "question") {
      if (!FILLER.has(row.stems[0]!)) words.question.set(row.stems[0]!, Number(row.idf));
    }
    else words[row.kind as keyof typeof texts][Number(row.i) - 1] = row.stems;
  }
  return words;
}

/**
 * own, subject, context: the idf-weighted share of the question's words
 * found in the passage (the unit and the sentences it leans on), else in what
 * the unit is about (its innermost heading or label), else in its document's
 * title and outer headings; novelty: the share of the unit's own words that
 * are not the question's; leads: it opens its paragraph (a definition's first
 * sentence says what the term is).
 */
function lexicalScore(
  words: Words,
  passage: Unit[],
  unit: Unit,
  units: Unit[],
): { own: number; subject: number; context: number; novelty: number; leads: boolean } {
  const own = new Set(passage.flatMap((u) => words.own[u.index] ?? []));
  const subject = new Set(words.subject[unit.index]);
  const context = new Set(words.context[unit.index]);
  let total = 0;
  const found = { own: 0, subject: 0, context: 0 };
  for (const [term, idf] of words.question) {
    total += idf;
    if (own.has(term)) found.own += idf;
    else if (subject.has(term)) found.subject += idf;
    else if (context.has(term)) found.context += idf;
  }
  const stems = words.own[unit.index] ?? [];
  const novelty = stems.length ? stems.filter((stem) => !words.question.has(stem)).length / stems.length : 0;
  const share = (value: number) => (total ? value / total : 0);
  const before = units[unit.index - 1];
  const leads = !before || before.source !== unit.source || before.paragraph !== unit.paragraph;
  return { own: share(found.own), subject: share(found.subject), context: share(found.context), novelty, leads };
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function nearRepeat(a: string, b: string): boolean {
  const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const [x, y] = [words(a), words(b)];
  let shared = 0;
  for (const word of x) if (y.has(word)) shared++;
  return shared / Math.min(x.size, y.size || 1) > 0.8;
}

/**
 * The unit with the neighbours it depends on, in reading order: the sentence
 * before one that leans back on it, a qualifying sentence after, and the
 * list or code a sentence ending in a colon introduces.
 */
function withWhatItLeansOn(unit: Unit, units: Unit[]): Unit[] {
  const sameParagraph = (other: Unit | undefined) => other && other.source === unit.source && other.paragraph === unit.paragraph;
  const passage = [unit];
  let at = unit.index;
  // A sentence opening its paragraph with "Also" or "However" leans on the paragraph before, under the same heading.
  const leansOn = (other: Unit | undefined) =>
    sameParagraph(other) || (other !== undefined && other.source === unit.source && other.paragraph === units[at]!.paragraph - 1 && other.kind === "sentence");
  while (LEANS_BACK.test(units[at]!.text) && leansOn(units[at - 1]) && passage.length < 3) passage.unshift(units[--at]!);
  const after = units[unit.index + 1];
  if (after && sameParagraph(after) && QUALIFIES.test(after.text)) passage.push(after);
  const last = passage.at(-1)!;
  if (/:\s*$/.test(last.text)) {
    for (let k = last.index + 1; k < units.length && units[k]!.source === unit.source; k++) {
      const next = units[k]!;
      if (next.kind === "code") {
        if (next.text.split("\n").length <= 15) passage.push(next);
        break;
      }
      if (next.kind !== "line" || passage.length >= 8) break;
      passage.push(next);
    }
  }
  return passage;
}

/** The answer as Markdown built from a syntax tree: quoted text is escaped, so a "[1]" or "*" in a document stays text. */
function render(passages: Unit[][], question: string): string {
  const asked = new Set(question.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
  const root: Root = { type: "root", children: [] };
  const documents = new Set(passages.map((p) => p[0]!.source.documentId));
  // Each document's passages together, the best-ranked document first; each in reading order.
  const rank = (unit: Unit) => Math.min(...passages.filter((p) => p[0]!.source.documentId === unit.source.documentId).map((p) => p[0]!.source.number));
  const ordered = [...passages].sort((a, b) => rank(a[0]!) - rank(b[0]!) || a[0]!.index - b[0]!.index);
  let document: number | undefined;
  for (const passage of ordered) {
    const source = passage[0]!.source;
    const citation: PhrasingContent = { type: "html", value: `[${source.number}]` };
    if (documents.size > 1 && source.documentId !== document) {
      root.children.push({
        type: "paragraph",
        children: [{ type: "text", value: "According to " }, { type: "strong", children: [{ type: "text", value: source.documentTitle }] }, { type: "text", value: ":" }],
      });
    }
    document = source.documentId;
    const quote: Blockquote = { type: "blockquote", children: [] };
    // The label line ("checkpoint_timeout (integer)") says what the quote is about when the quote itself does not.
    const label = passage[0]!.label;
    const quoted = passage.map((u) => u.text.toLowerCase()).join(" ");
    if (label && (label.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).some((word) => asked.has(word) && !quoted.includes(word))) {
      quote.children.push({ type: "paragraph", children: [{ type: "emphasis", children: [{ type: "text", value: label }] }] });
    }
    let paragraph: Paragraph | undefined;
    let previous: Unit | undefined;
    for (const unit of passage) {
      if (unit.kind === "code") {
        quote.children.push({ type: "code", value: unit.text });
        paragraph = undefined;
      } else if (paragraph && previous && previous.paragraph === unit.paragraph && previous.kind === "sentence") {
        paragraph.children.push({ type: "text", value: ` ${unit.text}` });
      } else {
        paragraph = { type: "paragraph", children: [{ type: "text", value: unit.text }] };
        quote.children.push(paragraph);
      }
      previous = unit;
    }
    const end = quote.children.at(-1);
    if (end?.type === "paragraph") end.children.push({ type: "text", value: " " }, citation);
    else quote.children.push({ type: "paragraph", children: [citation] });
    root.children.push(quote as RootContent);
  }
  return toMarkdown(root, { unsafe: [{ character: "]", inConstruct: "phrasing" }], fences: true }).trim();
}
