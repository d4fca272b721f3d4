import { eventStreamResponse } from "@/lib/api/event-stream";
import { explainError, json, readJson, route } from "@/lib/api/http";
import {
  chatCompletion,
  completionChunks,
  completionChunkWire,
  questionAndHistory,
} from "@/lib/api/openai-compatible";
import { openAIChatRequest } from "@/lib/api/schemas";
import { answerInFull, answerQuestion, answerSettings } from "@/lib/answer/answer";
import { answerDependencies, getAppContext } from "@/lib/context";

export const dynamic = "force-dynamic";

/** OpenAI's chat completions, answered from the library with citations; streamed when asked. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const input = await readJson(request, openAIChatRequest, context.config.MAX_REQUEST_BYTES);
  const { question, history } = questionAndHistory(input);
  const settings = { ...answerSettings(context.config), temperature: input.temperature ?? context.config.CHAT_TEMPERATURE };
  const deps = await answerDependencies(context);
  if (!input.stream) return json(chatCompletion(await answerInFull(deps, { question, history }, settings)));
  return eventStreamResponse(
    (signal) => completionChunks(answerQuestion(deps, { question, history, signal }, settings)),
    {
      signal: request.signal,
      toWire: completionChunkWire,
      onFailure: (error) => {
        const { code, message } = explainError(error);
        return { data: { error: { message, type: "server_error", code } } };
      },
    },
  );
});
