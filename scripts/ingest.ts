/**
 * Bulk import from disk through the same queue and pipeline as browser uploads:
 *   npm run ingest -- <files or folders...>
 * Files of types pgrag does not read (stylesheets, images beside the pages)
 * are listed as skipped, not failed. Prints a progress bar on a terminal and
 * a progress line every few seconds into a log, then what was imported, what
 * was already there, what was skipped and what failed, with the reason. Exits
 * 0 when every readable file was imported.
 */
import "./load-env";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { eq, inArray } from "drizzle-orm";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { documents } from "../lib/db/schema";
import { batchProgress } from "../lib/documents/library";
import { namesReadableType } from "../lib/ingest/file-types";
import { queueUploads, type UploadOutcome } from "../lib/ingest/uploads";

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("Usage: npm run ingest -- <files or folders...>");
  process.exit(2);
}

/** How often a log (no terminal) hears how far the import is. */
const LOG_EVERY_MS = 5000;

function collect(path: string): string[] {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !name.startsWith("."))
    .sort()
    .flatMap((name) => collect(join(path, name)));
}

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

try {
  const config = getConfig();
  const files = paths.flatMap(collect);
  const context = await createAppContext(config);
  const db = context.database.db;
  const outcomes: (UploadOutcome & { path: string })[] = [];
  for (const path of files) {
    const size = statSync(path).size;
    const tooLarge = size > config.MAX_UPLOAD_BYTES;
    const bytes = tooLarge ? new Uint8Array() : new Uint8Array(readFileSync(path));
    const [outcome] = await queueUploads(db, [{ filename: basename(path), bytes, tooLarge }], {
      maxBytes: config.MAX_UPLOAD_BYTES,
      source: path,
    });
    outcomes.push({ ...outcome!, path });
  }
  context.worker.wake();

  const queued = outcomes.flatMap((o) => ("document" in o && !o.duplicate ? [o.document.id] : []));
  let logged = 0;
  for (;;) {
    const progress = await batchProgress(db, queued);
    const line = `${bar(progress.settled, progress.total)} ${progress.settled}/${progress.total} files · ${progress.chunksEmbedded}/${progress.chunksTotal} chunks embedded`;
    const done = progress.settled >= progress.total;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${done ? "\n" : ""}`);
    } else if (done || Date.now() - logged >= LOG_EVERY_MS) {
      process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      logged = Date.now();
    }
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const final = queued.length > 0 ? await db.select().from(documents).where(inArray(documents.id, queued)) : [];
  const failed = final.filter((d) => d.status === "failed");
  const duplicates = outcomes.filter((o) => "document" in o && o.duplicate);
  const refused = outcomes.flatMap((o) => ("error" in o ? [o] : []));
  // A stylesheet or an image beside the pages is not a failure: pgrag does not read such files.
  const skipped = refused.filter((o) => o.error.code === "unsupported_type" && !namesReadableType(o.filename));
  const unreadable = refused.filter((o) => !skipped.includes(o));
  console.log(`Imported: ${final.length - failed.length}`);
  console.log(`Already in the library: ${duplicates.length}`);
  if (skipped.length > 0) {
    const byType = new Map<string, number>();
    for (const o of skipped) {
      const type = extname(o.filename).toLowerCase();
      byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    const types = [...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type, count]) => `${count} ${type}`).join(", ");
    console.log(`Skipped: ${skipped.length} (types pgrag does not read: ${types})`);
  } else {
    console.log("Skipped: 0");
  }
  console.log(`Failed: ${failed.length + unreadable.length}`);
  for (const o of unreadable) console.log(`  ${o.filename}: ${o.error.message}`);
  for (const d of failed) console.log(`  ${d.filename}: ${d.error}`);
  const stillThere = await db.$count(documents, eq(documents.status, "ready"));
  console.log(`The library now holds ${stillThere} ready documents.`);
  await context.close();
  process.exitCode = failed.length + unreadable.length > 0 ? 1 : 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
