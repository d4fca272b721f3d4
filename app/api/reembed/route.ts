import { errorResponse, json, route } from "@/lib/api/http";
import { getAppContext } from "@/lib/context";
import { reembedProgress, requestReembed } from "@/lib/ingest/reembed";

export const dynamic = "force-dynamic";

/**
 * Starts embedding every chunk with the configured model in the background;
 * search switches to it when it is complete. Progress shows on /api/health.
 */
export const POST = route(async () => {
  const context = await getAppContext();
  const target = await context.embeddingModel();
  const { model: active } = await context.activeModel();
  if (active.id === target.id) {
    return errorResponse(409, "nothing_to_reembed", `Search already uses ${target.provider}:${target.name}.`);
  }
  await requestReembed(context.database.db, target);
  return json({ reembed: await reembedProgress(context.database.db, target) }, 202);
});
