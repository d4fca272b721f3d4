import { json, readJson, route } from "@/lib/api/http";
import { searchResultJson } from "@/lib/api/present";
import { searchRequest, type SearchResponse } from "@/lib/api/schemas";
import { getAppContext, searchDependencies } from "@/lib/context";
import { highlightMatches } from "@/lib/retrieve/highlight";
import { search, searchSettings } from "@/lib/retrieve/search";

export const dynamic = "force-dynamic";

export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const input = await readJson(request, searchRequest, context.config.MAX_REQUEST_BYTES);
  const deps = await searchDependencies(context);
  const mode = input.mode ?? (input.embedding ? "semantic" : "hybrid");
  const results = await search(
    deps,
    {
      query: input.query,
      vector: input.embedding,
      mode,
      topK: input.top_k,
      minScore: input.min_score,
      filters: input.filters && {
        documentIds: input.filters.document_ids,
        formats: input.filters.formats,
        createdAfter: input.filters.created_after,
        createdBefore: input.filters.created_before,
      },
    },
    searchSettings(context.config),
  );
  const highlights = input.query
    ? await highlightMatches(deps.db, input.query, results.map((r) => r.hit.content))
    : results.map(() => []);
  const body: SearchResponse = {
    results: results.map((result, i) => searchResultJson(result, highlights[i]!)),
    mode,
    model: deps.model.name,
  };
  return json(body);
});
