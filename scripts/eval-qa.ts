/**
 * Questions about a real manual, answered by the app without a language model:
 *   npm run eval:qa -- [--reuse] [--only <id>] [--verbose] [--sample <n>] [--engine pglite|postgres] [--cache .data/cache]
 * Imports the whole PostgreSQL 15 manual from Debian's postgresql-doc-15 (every
 * file of its HTML folder, as `npm run ingest` would) into a throwaway
 * database, then asks each question of eval/qa/postgresql.json: does hybrid
 * search put the page that answers it in its top 5, does the extractive answer
 * quote the sentence that states the answer, and is any quoted passage a
 * fragment rather than whole sentences. Vectors are cached on disk; --reuse
 * starts from the imported database of an earlier run when nothing it depends
 * on changed (PGlite). --sample n imports only the pages the questions name
 * and n others, for a quick look while developing; the figures are the whole
 * manual's.
 */
import "./load-env";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { inArray } from "drizzle-orm";
import { answerInFull, answerSettings, NO_SENTENCE_MATCHES, NOTHING_RELEVANT } from "../lib/answer/answer";
import { rankUnits } from "../lib/answer/extractive";
import { countChatTokens } from "../lib/answer/tokens";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { ensureEmbeddingModel, withoutVectorIndex } from "../lib/db/embedding-models";
import { chunks, documents } from "../lib/db/schema";
import { scratchEngines } from "../lib/db/scratch";
import { batchProgress } from "../lib/documents/library";
import { debianPackage } from "../lib/evaluate/debian";
import { isWholePassage, quotedPassages, quotesSentence, referenceText } from "../lib/evaluate/qa";
import { openIngestedDatabase, snapshotKey } from "../lib/evaluate/snapshot";
import { queueUploads } from "../lib/ingest/uploads";
import { createChatModel } from "../lib/providers/chat";
import { createEmbedder } from "../lib/providers/embedding";
import { withEmbeddingCache } from "../lib/providers/embedding/cache";
import { search, searchSettings } from "../lib/retrieve/search";

interface Question {
  id: string;
  kind: "paraphrase" | "ordinary" | "identifier";
  question: string;
  page: string;
  sentence: string;
}
interface QuestionSet {
  package: string;
  written_against: string;
  folder: string;
  questions: Question[];
}

const { values } = parseArgs({
  options: {
    set: { type: "string", default: "eval/qa/postgresql.json" },
    cache: { type: "string", default: ".data/cache" },
    engine: { type: "string", default: "pglite" },
    reuse: { type: "boolean", default: false },
    only: { type: "string" },
    verbose: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
    sample: { type: "string" },
  },
});
const config = getConfig();
const set = JSON.parse(readFileSync(values.set!, "utf8")) as QuestionSet;
const questions = set.questions.filter((q) => !values.only || q.id === values.only);
const { engines, serverUrl } = scratchEngines(values.engine!, ["EVAL_DATABASE_URL", "TEST_DATABASE_URL"], false);
const engine = engines[0]!;

const manual = debianPackage(set.package, values.cache!);
const folder = join(manual.root, set.folder);
const goldPages = new Set(set.questions.map((q) => q.page));
const files = readdirSync(folder)
  .filter((name) => statSync(join(folder, name)).isFile())
  .sort()
  .filter((name, i) => values.sample === undefined || goldPages.has(name) || i < Number(values.sample));
console.log(
  `${set.package} ${manual.version} (questions written against ${set.written_against}): ${files.length} files; ` +
    `${questions.length} questions; engine ${engine}; embedder ${config.EMBEDDING_PROVIDER}; chunks of ${config.CHUNK_SIZE} tokens, overlap ${config.CHUNK_OVERLAP}`,
);

// Only the import reads vectors from the cache: answers embed as the app does, so their time is the app's.
const liveEmbedder = createEmbedder(config);
const embedder = await withEmbeddingCache(liveEmbedder, join(values.cache!, "embeddings"));
const snapshots = join(values.cache!, "eval");
const key = snapshotKey(
  [`qa ${set.package} ${manual.version} ${files.join(",")}`, embedder.provider, embedder.model, String(config.CHUNK_SIZE), String(config.CHUNK_OVERLAP)],
  ["lib/ingest", "lib/db", "lib/retrieve/keyword.ts", config.MIGRATIONS_DIR],
);

const started = performance.now();
const { database, restored } = await openIngestedDatabase({
  engine,
  serverUrl,
  migrationsDir: config.MIGRATIONS_DIR,
  label: "qa",
  cacheDirectory: snapshots,
  key,
  reuse: values.reuse!,
  ingest: async (database) => {
    const context = await createAppContext(config, { database, embedder });
    const model = await context.embeddingModel();
    await withoutVectorIndex(database.db, model, async () => {
      const outcomes = [];
      for (const name of files) {
        const bytes = new Uint8Array(readFileSync(join(folder, name)));
        outcomes.push(
          ...(await queueUploads(database.db, [{ filename: name, bytes, tooLarge: bytes.byteLength > config.MAX_UPLOAD_BYTES }], {
            maxBytes: config.MAX_UPLOAD_BYTES,
            source: join(set.folder, name),
          })),
        );
      }
      const ids = outcomes.flatMap((o) => ("document" in o ? [o.document.id] : []));
      const refused = outcomes.filter((o) => "error" in o).length;
      context.worker.wake();
      let last = 0;
      for (;;) {
        const progress = await batchProgress(database.db, ids);
        if (performance.now() - last > 30_000) {
          last = performance.now();
          process.stderr.write(`import: ${progress.settled}/${progress.total} files, ${progress.chunksEmbedded} chunks embedded\n`);
        }
        if (progress.settled >= progress.total) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const failed = await database.db.$count(documents, inArray(documents.status, ["failed"]));
      console.log(`imported ${ids.length - failed} files (${refused} refused at upload, ${failed} failed) in ${((performance.now() - started) / 1000).toFixed(1)} s; ${embedder.hits()} vectors from the cache`);
    });
    await context.stopWorkers();
  },
});
try {
  if (restored) console.log("restored the imported manual from its snapshot");

  const model = await ensureEmbeddingModel(database.db, {
    provider: embedder.provider,
    name: embedder.model,
    dimensions: await embedder.dimensions(),
    settings: embedder.settings,
  });
  const filenames = new Map((await database.db.select({ id: documents.id, filename: documents.filename }).from(documents)).map((d) => [d.id, d.filename]));
  const chunkCount = await database.db.$count(chunks);
  console.log(`library: ${filenames.size} documents, ${chunkCount} chunks\n`);

  const deps = { db: database.db, embedder: liveEmbedder, model, chat: createChatModel(config), countTokens: countChatTokens };
  const settings = { ...answerSettings(config), provider: "extractive" as const };
  const tally = new Map<string, { asked: number; found: number; quoted: number; fragments: number }>();
  const timings: number[] = [];
  for (const q of questions) {
    const asked = performance.now();
    const hits = await search(deps, { query: q.question, mode: "hybrid", topK: 5 }, searchSettings(config));
    const found = hits.some((hit) => filenames.get(hit.hit.documentId) === q.page);
    const answer = await answerInFull(deps, { question: q.question, history: [] }, settings);
    timings.push(performance.now() - asked);
    const quoted = quotesSentence(answer.content, q.sentence);
    const quotes = ![NOTHING_RELEVANT, NO_SENTENCE_MATCHES].includes(answer.content);
    const fragments = quotes ? fragmentsOf(answer.content, answer.sources.map((s) => filenames.get(s.documentId) ?? "")) : [];

    for (const kind of [q.kind, "all"]) {
      const row = tally.get(kind) ?? { asked: 0, found: 0, quoted: 0, fragments: 0 };
      row.asked += 1;
      row.found += found ? 1 : 0;
      row.quoted += quoted ? 1 : 0;
      row.fragments += fragments.length > 0 ? 1 : 0;
      tally.set(kind, row);
    }
    if (values.verbose || values.only) {
      console.log(`${q.id} [${found ? "page in top 5" : "page missed"}${quoted ? ", quoted" : ""}${fragments.length ? ", FRAGMENT" : ""}] ${q.question}`);
      console.log(`  top 5: ${hits.map((h) => filenames.get(h.hit.documentId)).join(", ")}`);
      console.log(`  answer: ${answer.content.replace(/\n/g, "\n          ")}`);
      for (const fragment of fragments) console.log(`  fragment: ${JSON.stringify(fragment)}`);
      if (values.explain && !quoted) {
        const ranked = await rankUnits(deps, answer.searchQuery, answer.sources);
        const gold = ranked.findIndex((r) => quotesSentence(r.unit.text, q.sentence) || quotesSentence(q.sentence, r.unit.text));
        for (const [rank, { unit, score, parts }] of ranked.entries()) {
          if (rank >= 4 && rank !== gold) continue;
          const p = Object.entries(parts).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(" ");
          console.log(`    ${rank === gold ? "GOLD " : ""}#${rank + 1} ${score.toFixed(3)} [${unit.source.number}] ${p} | ${unit.text.slice(0, 100)}`);
        }
        if (gold === -1) {
          console.log(`    gold sentence ${answer.sources.some((s) => quotesSentence(s.content, q.sentence)) ? "is in the sources but not ranked" : "is not in the sources"}`);
        }
      }
    }
  }

  console.log(`\n${"questions".padEnd(12)} ${"asked".padStart(5)}  ${"page in top 5".padStart(13)}  ${"gold sentence quoted".padStart(20)}  ${"answers with a fragment".padStart(23)}`);
  for (const kind of ["paraphrase", "ordinary", "identifier", "all"]) {
    const row = tally.get(kind);
    if (!row) continue;
    console.log(
      `${kind.padEnd(12)} ${String(row.asked).padStart(5)}  ${share(row.found, row.asked).padStart(13)}  ${share(row.quoted, row.asked).padStart(20)}  ${String(row.fragments).padStart(23)}`,
    );
  }
  timings.sort((a, b) => a - b);
  console.log(`\ntop-5 search, then the whole answer, per question: p50 ${timings[Math.floor(timings.length / 2)]!.toFixed(0)} ms, max ${timings.at(-1)!.toFixed(0)} ms`);
} finally {
  await database.close();
  await embedder.close();
}

function share(part: number, whole: number): string {
  return `${(part / whole).toFixed(2)} (${part})`;
}

/** The quoted passages that are not whole sentences of the pages they come from. */
function fragmentsOf(answer: string, pages: string[]): string[] {
  const references = [...new Set(pages)].filter(Boolean).map((page) => referenceText(readFileSync(join(folder, page), "utf8")));
  return quotedPassages(answer).filter((passage) => !references.some((reference) => isWholePassage(passage, reference)));
}
