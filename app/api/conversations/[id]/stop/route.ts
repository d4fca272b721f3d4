import { json, parseOrThrow, route } from "@/lib/api/http";
import { conversationIdParam, type StopAnswerResponse } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { stopTurns } from "@/lib/conversations/running";
import { requireConversation } from "@/lib/conversations/store";

export const dynamic = "force-dynamic";

/** Stops the answer being written in a conversation; its stream then ends with the stopped answer, saved. */
export const POST = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseOrThrow(conversationIdParam, (await params).id);
  await requireConversation((await getAppContext()).database.db, id);
  return json({ stopped: stopTurns(id) > 0 } satisfies StopAnswerResponse);
});
