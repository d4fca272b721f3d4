import { z } from "zod";
import { answerer } from "./conversations";
import { count, givenText, MAX_QUERY_CHARS, question, requiredText, topK } from "./fields";

/** The original demo's POST /ingest, /search and /answer, kept exactly as they were. */

/** The original demo's POST /ingest. */
export const legacyIngestRequest = z.object({ content: requiredText("content") });

/** The original demo's POST /search. */
export const legacySearchRequest = z.object({ query: givenText("query", MAX_QUERY_CHARS), top_k: topK.default(5) });

export const legacyIngestResponse = z.object({
  status: z.literal("ok"),
  id: z.number().int(),
  chunks: count,
  duplicate: z.boolean(),
});

export const legacySearchResponse = z.object({
  results: z.array(z.object({ id: z.number().int(), document_id: z.number().int(), content: z.string(), similarity: z.number() })),
});
export type LegacySearchResponse = z.infer<typeof legacySearchResponse>;

/** The original demo's POST /answer. */
export const legacyAnswerRequest = z.object({ query: question("query"), top_k: topK.default(5) });

export const legacyAnswerResponse = z.object({
  answer: z.string(),
  answerer,
  sources: z.array(
    z.object({
      number: z.number().int(),
      chunk_id: z.number().int(),
      document_id: z.number().int(),
      document_title: z.string(),
      content: z.string(),
      score: z.number(),
      cited: z.boolean(),
    }),
  ),
});
export type LegacyAnswerResponse = z.infer<typeof legacyAnswerResponse>;
