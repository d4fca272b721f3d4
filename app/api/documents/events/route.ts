import { route } from "@/lib/api/http";
import { documentJson } from "@/lib/api/present";
import { getAppContext } from "@/lib/context";
import { documentEvents } from "@/lib/documents/progress-stream";

export const dynamic = "force-dynamic";

/** Document status and progress as server-sent events (`event: document`, data: the document's summary). */
export const GET = route(async (request: Request) => {
  const context = await getAppContext();
  const stream = documentEvents(context.database.db, documentJson, { signal: request.signal });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
