import { json, parseOrThrow, readJson, route } from "@/lib/api/http";
import { conversationDetailJson, conversationJson } from "@/lib/api/present";
import { conversationIdParam, updateConversationRequest } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { deleteConversation, getConversation, updateConversation } from "@/lib/conversations/store";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route(async (_request: Request, { params }: Params) => {
  const id = parseOrThrow(conversationIdParam, (await params).id);
  const conversation = await getConversation((await getAppContext()).database.db, id);
  return json({ conversation: conversationDetailJson(conversation) });
});

export const PATCH = route(async (request: Request, { params }: Params) => {
  const id = parseOrThrow(conversationIdParam, (await params).id);
  const context = await getAppContext();
  const input = await readJson(request, updateConversationRequest, context.config.MAX_REQUEST_BYTES);
  const conversation = await updateConversation(context.database.db, id, {
    title: input.title?.trim(),
    documentIds: input.document_ids,
  });
  return json({ conversation: conversationJson(conversation) });
});

export const DELETE = route(async (_request: Request, { params }: Params) => {
  const id = parseOrThrow(conversationIdParam, (await params).id);
  await deleteConversation((await getAppContext()).database.db, id);
  return new Response(null, { status: 204 });
});
