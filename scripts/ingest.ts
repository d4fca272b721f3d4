/**
 * Bulk import from disk through the same queue and pipeline as browser uploads:
 *   npm run ingest -- <files or folders...>
 * Prints a progress bar, then what was imported, what was already there and
 * what failed, with the reason.
 */
import "./load-env";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { eq, inArray } from "drizzle-orm";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { documents } from "../lib/db/schema";
import { batchProgress } from "../lib/documents/library";
import { queueUploads, type UploadOutcome } from "../lib/ingest/uploads";

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("Usage: npm run ingest -- <files or folders...>");
  process.exit(2);
}

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
  const outcomes: UploadOutcome[] = [];
  for (const path of files) {
    const size = statSync(path).size;
    const tooLarge = size > config.MAX_UPLOAD_BYTES;
    const bytes = tooLarge ? new Uint8Array() : new Uint8Array(readFileSync(path));
    const [outcome] = await queueUploads(db, [{ filename: basename(path), bytes, tooLarge }], {
      maxBytes: config.MAX_UPLOAD_BYTES,
      source: path,
    });
    outcomes.push(outcome!);
  }
  context.worker.wake();

  const queued = outcomes.flatMap((o) => ("document" in o && !o.duplicate ? [o.document.id] : []));
  for (;;) {
    const progress = await batchProgress(db, queued);
    const line = `${bar(progress.settled, progress.total)} ${progress.settled}/${progress.total} files · ${progress.chunksEmbedded}/${progress.chunksTotal} chunks embedded`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    if (progress.settled >= progress.total) {
      process.stderr.write(process.stderr.isTTY ? "\n" : `${line}\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const final = queued.length > 0 ? await db.select().from(documents).where(inArray(documents.id, queued)) : [];
  const failed = final.filter((d) => d.status === "failed");
  const duplicates = outcomes.filter((o) => "document" in o && o.duplicate);
  const refused = outcomes.flatMap((o) => ("error" in o ? [o] : []));
  console.log(`Imported: ${final.length - failed.length}`);
  console.log(`Already in the library: ${duplicates.length}`);
  console.log(`Failed: ${failed.length + refused.length}`);
  for (const o of refused) console.log(`  ${o.filename}: ${o.error.message}`);
  for (const d of failed) console.log(`  ${d.filename}: ${d.error}`);
  const stillThere = await db.$count(documents, eq(documents.status, "ready"));
  console.log(`The library now holds ${stillThere} ready documents.`);
  await context.close();
  process.exitCode = failed.length + refused.length > 0 ? 1 : 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
