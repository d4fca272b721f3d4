import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

/** Relevance judgments: query id → document id → grade (0 = not relevant). */
export type Qrels = Map<string, Map<string, number>>;

export interface BeirDataset {
  corpus: BeirDocument[];
  /** Only the queries that have at least one judgment, as BEIR evaluates. */
  queries: BeirQuery[];
  qrels: Qrels;
}

/** A BEIR dataset's documents (corpus.jsonl). */
export function loadBeirCorpus(directory: string): BeirDocument[] {
  return readJsonLines<{ _id: string; title?: string; text: string }>(join(directory, "corpus.jsonl")).map((doc) => ({
    id: String(doc._id),
    title: doc.title ?? "",
    text: doc.text,
  }));
}

/** Every query of a BEIR dataset (queries.jsonl), judged or not. */
export function loadBeirQueries(directory: string): BeirQuery[] {
  return readJsonLines<{ _id: string; text: string }>(join(directory, "queries.jsonl")).map((q) => ({ id: String(q._id), text: q.text }));
}

/** A dataset in BEIR's layout: corpus.jsonl, queries.jsonl and a qrels TSV with a header. */
export function loadBeirDataset(directory: string): BeirDataset {
  const corpus = loadBeirCorpus(directory);
  const qrels: Qrels = new Map();
  const qrelsFile = ["qrels.tsv", join("qrels", "test.tsv")].map((name) => join(directory, name));
  const lines = readFileSync(qrelsFile.find(exists) ?? qrelsFile[0]!, "utf8").split("\n").slice(1);
  for (const line of lines) {
    const [queryId, docId, grade] = line.trim().split("\t");
    if (!queryId || !docId) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId)!.set(docId, Number(grade ?? 1));
  }
  const queries = loadBeirQueries(directory).filter((q) => qrels.has(q.id));
  return { corpus, queries, qrels };
}

/** How BEIR and MTEB index a document: its title, a space, its text. */
export function beirDocumentText(doc: BeirDocument): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text;
}

function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

function exists(path: string): boolean {
  try {
    readFileSync(path, { flag: "r" }).subarray(0, 0);
    return true;
  } catch {
    return false;
  }
}
