import { z } from "zod";
import { formats } from "../../ingest/parse/types";
import { searchModes } from "../../retrieve/types";
import { chunkLocation, codeSpans } from "./documents";
import { count, formatError, givenText, MAX_QUERY_CHARS, range, rowId, topK } from "./fields";

/** POST /api/search. */

const dateBound = (name: string) => {
  const error = `${name} must be a date such as 2026-01-31 or 2026-01-31T12:00:00Z`;
  return z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error })
    .transform((value) => new Date(value))
    .refine((date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999, `${name} must be a date between the years 1 and 9999`)
    .optional();
};

export const searchFilters = z
  .object(
    {
      document_ids: z
        .array(rowId("each of filters.document_ids"), { error: "filters.document_ids must be an array of document ids" })
        .max(1000, "filters.document_ids may name at most 1000 documents")
        .optional(),
      formats: z.array(z.enum(formats, { error: `filters.formats ${formatError}` })).optional(),
      created_after: dateBound("filters.created_after"),
      created_before: dateBound("filters.created_before"),
    },
    { error: (issue) => (issue.code === "invalid_type" ? "filters must be an object" : undefined) },
  )
  .strict();

export const searchRequest = z
  .object({
    query: givenText("query", MAX_QUERY_CHARS).optional(),
    embedding: z
      .array(
        // pgvector stores single-precision floats: a larger value overflows it.
        z.number({ error: "embedding must contain only numbers" }).min(-1e38, "embedding values must be between -1e38 and 1e38").max(1e38, "embedding values must be between -1e38 and 1e38"),
        { error: "embedding must be an array of numbers" },
      )
      .min(1, "embedding must not be empty")
      .refine((vector) => vector.some((value) => value !== 0), "embedding must not be all zeros: a vector without a direction matches nothing")
      .optional(),
    top_k: topK.default(10),
    mode: z.enum(searchModes, { error: "mode must be hybrid, semantic or keyword" }).optional(),
    min_score: z.number({ error: "min_score must be a number" }).optional(),
    filters: searchFilters.optional(),
  })
  .refine((body) => (body.query === undefined) !== (body.embedding === undefined), {
    message: "send either query (text) or embedding (a vector), not both",
  });

export type SearchRequest = z.input<typeof searchRequest>;

export type SearchModeJson = (typeof searchModes)[number];

const componentScore = z.object({ rank: z.number().int().min(1), score: z.number() });

export const searchResult = z
  .object({
    chunk_id: z.number().int(),
    document_id: z.number().int(),
    document_title: z.string(),
    document_format: z.enum(formats),
    ordinal: count,
    content: z.string(),
    location: chunkLocation,
    code: codeSpans,
    score: z.number().meta({ description: "Semantic: cosine similarity. Keyword: BM25. Hybrid: fused, 0–1." }),
    mode: z.enum(searchModes),
    components: z
      .object({ semantic: componentScore.optional(), keyword: componentScore.optional() })
      .meta({ description: "Each retriever's rank (1-based) and score for this chunk; hybrid has both when both found it." }),
    highlights: z
      .array(range)
      .meta({ description: "Where the query's words occur in content: [start, end) in UTF-16 code units." }),
  })
  .meta({ id: "SearchResult" });
export type SearchResultJson = z.infer<typeof searchResult>;

export const searchResponse = z.object({ results: z.array(searchResult), mode: z.enum(searchModes), model: z.string() });
export type SearchResponse = z.infer<typeof searchResponse>;
