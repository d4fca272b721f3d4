import { json, readJson, route } from "@/lib/api/http";
import { legacyAnswerRequest, type LegacyAnswerResponse } from "@/lib/api/schemas";
import { answerInFull, answerSettings } from "@/lib/answer/answer";
import { answerDependencies, getAppContext } from "@/lib/context";

export const dynamic = "force-dynamic";

/** The original demo's POST /answer (proxy.ts routes it here): the whole answer and its sources, not streamed. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const { query, top_k } = await readJson(request, legacyAnswerRequest, context.config.MAX_REQUEST_BYTES);
  const settings = { ...answerSettings(context.config), topK: top_k };
  const answer = await answerInFull(await answerDependencies(context), { question: query, history: [] }, settings);
  const cited = new Set(answer.cited);
  const body: LegacyAnswerResponse = {
    answer: answer.content,
    answerer: answer.answerer,
    sources: answer.sources.map((s) => ({
      number: s.number,
      chunk_id: s.chunkId,
      document_id: s.documentId,
      document_title: s.documentTitle,
      content: s.content,
      score: s.score,
      cited: cited.has(s.number),
    })),
  };
  return json(body);
});
