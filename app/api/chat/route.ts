import { eventStreamResponse } from "@/lib/api/event-stream";
import { explainError, readJson, route } from "@/lib/api/http";
import { chatEventJson } from "@/lib/api/present";
import { chatRequest } from "@/lib/api/schemas";
import { answerSettings } from "@/lib/answer/answer";
import { answerDependencies, getAppContext } from "@/lib/context";
import { chatTurn } from "@/lib/conversations/turn";

export const dynamic = "force-dynamic";

/** Asks a question in a conversation (a new one without conversation_id); the answer streams as server-sent events. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const input = await readJson(request, chatRequest, context.config.MAX_REQUEST_BYTES);
  const deps = await answerDependencies(context);
  return eventStreamResponse(
    (signal) =>
      chatTurn(
        deps,
        {
          conversationId: input.conversation_id,
          message: input.message,
          regenerate: input.regenerate,
          documentIds: input.document_ids,
          signal,
        },
        answerSettings(context.config),
      ),
    {
      signal: request.signal,
      toWire: (event) => ({ event: event.type, data: chatEventJson(event) }),
      onFailure: (error) => {
        const { code, message } = explainError(error);
        return { event: "error", data: { type: "error", code, message, saved: null } };
      },
    },
  );
});
