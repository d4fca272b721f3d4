import { json, readJson, route } from "@/lib/api/http";
import { legacySearchRequest, type LegacySearchResponse } from "@/lib/api/schemas";
import { getAppContext, modelDependencies } from "@/lib/context";
import { searchByText } from "@/lib/retrieve/semantic";

export const dynamic = "force-dynamic";

/** The original demo's POST /search (proxy.ts routes it here): its exact response shape. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const { query, top_k } = await readJson(request, legacySearchRequest, context.config.MAX_REQUEST_BYTES);
  const hits = await searchByText(await modelDependencies(context), query, top_k);
  const body: LegacySearchResponse = {
    results: hits.map((hit) => ({
      id: hit.chunkId,
      document_id: hit.documentId,
      content: hit.content,
      similarity: hit.similarity,
    })),
  };
  return json(body);
});
