import { json, readJson, route } from "@/lib/api/http";
import { legacySearchRequest, type LegacySearchResponse } from "@/lib/api/schemas";
import { getAppContext, searchDependencies } from "@/lib/context";
import { search, searchSettings } from "@/lib/retrieve/search";

export const dynamic = "force-dynamic";

/** The original demo's POST /search (proxy.ts routes it here): semantic, in its exact response shape. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const { query, top_k } = await readJson(request, legacySearchRequest, context.config.MAX_REQUEST_BYTES);
  const results = await search(
    await searchDependencies(context),
    { query, mode: "semantic", topK: top_k },
    searchSettings(context.config),
  );
  const body: LegacySearchResponse = {
    results: results.map(({ hit }) => ({
      id: hit.chunkId,
      document_id: hit.documentId,
      content: hit.content,
      similarity: hit.score,
    })),
  };
  return json(body);
});
