import { json, parseOrThrow, readJson, route } from "@/lib/api/http";
import { conversationJson } from "@/lib/api/present";
import { createConversationRequest, listConversationsQuery, type ConversationListResponse } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { createConversation, listConversations } from "@/lib/conversations/store";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  const query = parseOrThrow(listConversationsQuery, Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listConversations((await getAppContext()).database.db, query);
  const body: ConversationListResponse = { conversations: rows.map(conversationJson) };
  return json(body);
});

export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const input = await readJson(request, createConversationRequest, context.config.MAX_REQUEST_BYTES);
  const conversation = await createConversation(context.database.db, input.title?.trim() ?? "New conversation", input.document_ids ?? null);
  return json({ conversation: conversationJson(conversation) }, 201);
});
