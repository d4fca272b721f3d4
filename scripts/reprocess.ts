/**
 * Reads every stored document again from its kept file with the current
 * parser, chunker and chunk settings, replacing its chunks one document at a
 * time while search keeps serving the old ones:
 *   npm run reprocess
 * The app does the same in the background after an upgrade; this waits and shows progress.
 */
import "./load-env";
import { getConfig } from "../lib/config";
import { createAppContext, ingestDependencies } from "../lib/context";
import { reprocessNext, reprocessProgress } from "../lib/ingest/reprocess";

try {
  const config = getConfig();
  const context = await createAppContext(config);
  // This process does the work itself, in the open, instead of the background worker.
  await context.reprocessWorker.stop();
  const chunking = { size: config.CHUNK_SIZE, overlap: config.CHUNK_OVERLAP };
  const db = context.database.db;
  const report = async () => {
    const progress = await reprocessProgress(db, chunking);
    const line = `${progress.current}/${progress.total} documents read with the current parser`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    return { progress, line };
  };
  let last = Date.now();
  for (;;) {
    const { line } = await report();
    if (!process.stderr.isTTY && Date.now() - last > 5000) {
      process.stderr.write(`${line}\n`);
      last = Date.now();
    }
    // Uploads waiting come first; reprocessNext answers false while they do, and when nothing is left.
    if (!(await reprocessNext(await ingestDependencies(context)))) {
      const { progress } = await report();
      if (progress.current + progress.withoutFile >= progress.total) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  const { progress, line } = await report();
  process.stderr.write(process.stderr.isTTY ? "\n" : `${line}\n`);
  if (progress.withoutFile > 0) {
    console.log(`${progress.withoutFile} documents were stored by an earlier version without their file; upload them again to read them with the current parser.`);
  }
  console.log(`Done: ${progress.current} of ${progress.total} documents are read with the current parser and chunker.`);
  await context.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
