import { json, parseOrThrow, readJson, route } from "@/lib/api/http";
import { conversationDetailJson, conversationJson } from "@/lib/api/present";
import { conversationIdParam, renameConversationRequest } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { deleteConversation, getConversation, renameConversation } from "@/lib/conversations/store";

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
  const { title } = await readJson(request, renameConversationRequest, context.config.MAX_REQUEST_BYTES);
  return json({ conversation: conversationJson(await renameConversation(context.database.db, id, title.trim())) });
});

export const DELETE = route(async (_request: Request, { params }: Params) => {
  const id = parseOrThrow(conversationIdParam, (await params).id);
  await deleteConversation((await getAppContext()).database.db, id);
  return new Response(null, { status: 204 });
});
