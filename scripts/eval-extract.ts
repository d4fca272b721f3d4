/**
 * How faithfully pgrag reads real documents:
 *   npm run eval:extract -- [--only <id>] [--show <id>] [--diff <id>] [--cache .data/cache]
 * Each document of eval/extract/documents.json comes from a Debian package
 * (downloaded once with apt-get into the cache) and has its main text marked
 * by hand in eval/extract/gold/<id>.txt. The document is parsed as an upload
 * would be, and its stored text is compared with the hand-marked one word by
 * word: boilerplate kept, content lost, lines broken mid-sentence, and
 * whether the title is right. --show prints the stored text of one document,
 * --diff what differs from the hand-marked text.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { debianPackage } from "../lib/evaluate/debian";
import { sameTitle, scoreExtraction } from "../lib/evaluate/extraction";
import { documentText } from "../lib/ingest/document-text";
import { parseFile } from "../lib/ingest/parse";
import { documentTitle, titleFromFilename } from "../lib/ingest/title";

interface GoldDocument {
  id: string;
  /** A Debian package and a path inside it, or a file committed here. */
  package?: string;
  path?: string;
  file?: string;
  /** The true title; several when a person could fairly give either. */
  title: string | string[];
  /** For a PDF marked only in part: the pages the gold text covers. */
  pages?: number[];
  shows: string;
}

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    show: { type: "string" },
    diff: { type: "string" },
    cache: { type: "string", default: ".data/cache" },
  },
});

const { documents } = JSON.parse(readFileSync("eval/extract/documents.json", "utf8")) as { documents: GoldDocument[] };
const selected = documents.filter((d) => !values.only || d.id === values.only);
if (selected.length === 0) throw new Error(`No document has the id ${values.only}.`);

const totals = { referenceChars: 0, extractedChars: 0, boilerplateChars: 0, lostChars: 0, brokenLines: 0 };
let titlesRight = 0;
const packages = new Map<string, string>();
const percent = (part: number, whole: number) => `${whole === 0 ? "0.0" : ((100 * part) / whole).toFixed(1)} %`;

console.log(`${"document".padEnd(24)} ${"boilerplate".padStart(11)} ${"lost".padStart(7)} ${"broken".padStart(6)}  title`);
for (const gold of selected) {
  const path = gold.file ?? fromDebian(gold.package!, gold.path!);
  const filename = basename(path);
  const parsed = await parseFile(new Uint8Array(readFileSync(path)), filename);
  // A PDF marked in part: its blocks that start on those pages, each run under the headings already shown before it.
  const runs: string[] = [];
  parsed.blocks.forEach((block, i) => {
    if (gold.pages && !(block.page !== undefined && gold.pages.includes(block.page))) return;
    runs.push(documentText([block], { shownHeadings: parsed.blocks[i - 1]?.headings }));
  });
  // A code fence's language label is pgrag's markup, not the document's words.
  const text = runs.join("\n\n").replace(/^(```+|~~~+)\S+$/gm, "$1");
  const title = documentTitle({ title: titleFromFilename(filename), titleGiven: false, filename }, parsed.title, documentText(parsed.blocks));
  if (values.show === gold.id) console.log(`\n----- ${gold.id}: ${title}\n${text}\n-----\n`);

  const score = scoreExtraction(readFileSync(`eval/extract/gold/${gold.id}.txt`, "utf8"), text);
  const titleRight = [gold.title].flat().some((expected) => sameTitle(expected, title));
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += score[key];
  if (values.diff === gold.id) {
    for (const { kind, words } of score.differences) console.log(`  ${kind.padEnd(11)} ${words.slice(0, 300)}`);
  }
  if (titleRight) titlesRight += 1;
  console.log(
    `${gold.id.padEnd(24)} ${percent(score.boilerplateChars, score.extractedChars).padStart(11)} ` +
      `${percent(score.lostChars, score.referenceChars).padStart(7)} ${String(score.brokenLines).padStart(6)}  ` +
      `${titleRight ? "right" : "wrong"}: ${JSON.stringify(title)}`,
  );
}

function fromDebian(name: string, path: string): string {
  const debian = debianPackage(name, values.cache!);
  packages.set(debian.name, debian.version);
  return join(debian.root, path);
}

console.log(
  `\n${selected.length} documents from ${[...packages].map(([name, version]) => `${name} ${version}`).join(", ")}\n` +
    `boilerplate kept: ${percent(totals.boilerplateChars, totals.extractedChars)} of the stored text ` +
    `(${totals.boilerplateChars.toLocaleString("en")} of ${totals.extractedChars.toLocaleString("en")} characters)\n` +
    `content lost: ${percent(totals.lostChars, totals.referenceChars)} of the hand-marked text ` +
    `(${totals.lostChars.toLocaleString("en")} of ${totals.referenceChars.toLocaleString("en")} characters)\n` +
    `lines broken mid-sentence: ${totals.brokenLines}\n` +
    `titles right: ${titlesRight}/${selected.length}`,
);
