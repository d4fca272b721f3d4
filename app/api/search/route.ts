import { json, readJson, route } from "@/lib/api/http";
import { searchResultJson } from "@/lib/api/present";
import { searchRequest, type SearchResponse } from "@/lib/api/schemas";
import { getAppContext, modelDependencies } from "@/lib/context";
import { searchByText, searchByVector } from "@/lib/retrieve/semantic";

export const dynamic = "force-dynamic";

export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const input = await readJson(request, searchRequest, context.config.MAX_REQUEST_BYTES);
  const deps = await modelDependencies(context);
  const hits = input.embedding
    ? await searchByVector(deps.db, deps.model, input.embedding, input.top_k)
    : await searchByText(deps, input.query!, input.top_k);
  const body: SearchResponse = { results: hits.map(searchResultJson), model: deps.model.name };
  return json(body);
});
