/**
 * Re-embeds every chunk with the configured embedder and switches search to it:
 *   npm run reembed
 * The same background work the app's banner starts; this waits and shows progress.
 */
import "./load-env";
import { getConfig } from "../lib/config";
import { createAppContext } from "../lib/context";
import { reembedProgress, requestReembed } from "../lib/ingest/reembed";

try {
  const context = await createAppContext(getConfig());
  const db = context.database.db;
  const target = await context.embeddingModel();
  const { model: active } = await context.activeModel();
  if (active.id === target.id) {
    console.log(`Search already uses ${target.provider}:${target.name}; nothing to re-embed.`);
  } else {
    console.log(`Re-embedding with ${target.provider}:${target.name}; search uses ${active.provider}:${active.name} until it is done.`);
    await requestReembed(db, target);
    for (;;) {
      const progress = await reembedProgress(db, target);
      const { model } = await context.activeModel();
      const line = `${progress.embedded}/${progress.total} chunks embedded`;
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
      if (model.id === target.id) {
        process.stderr.write(process.stderr.isTTY ? "\n" : `${line}\n`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.log(`Done: search now uses ${target.provider}:${target.name}. The old vectors are kept.`);
  }
  await context.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
