import { eventStreamResponse } from "@/lib/api/event-stream";
import { explainError, route } from "@/lib/api/http";
import { documentJson } from "@/lib/api/present";
import { getAppContext } from "@/lib/context";
import { documentChanges } from "@/lib/documents/changes";

export const dynamic = "force-dynamic";

/** Document status and progress as server-sent events (`event: document`, data: the document's summary). */
export const GET = route(async (request: Request) => {
  const context = await getAppContext();
  return eventStreamResponse((signal) => documentChanges(context.database.db, { signal }), {
    signal: request.signal,
    opening: { retryMs: 2000 },
    toWire: (change) =>
      change.type === "document"
        ? { event: "document", data: documentJson(change.document) }
        : change.type === "problem"
          ? { event: "problem", data: { message: change.message } }
          : { comment: "keep-alive" },
    onFailure: (error) => ({ event: "problem", data: { message: explainError(error).message } }),
  });
});
