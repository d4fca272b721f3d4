import { json, readJson, route } from "@/lib/api/http";
import { legacyIngestRequest } from "@/lib/api/schemas";
import { getAppContext, ingestDependencies } from "@/lib/context";
import { ingestText } from "@/lib/ingest/ingest";

export const dynamic = "force-dynamic";

/** The original demo's POST /ingest (proxy.ts routes it here): stored and searchable when it answers. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const { content } = await readJson(request, legacyIngestRequest, context.config.MAX_REQUEST_BYTES);
  const { document, duplicate } = await ingestText(await ingestDependencies(context), { content, source: "ingest" });
  return json({ status: "ok", id: document.id, chunks: document.chunksTotal, duplicate });
});
