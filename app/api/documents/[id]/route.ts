import { json, parseOrThrow, readJson, route } from "@/lib/api/http";
import { documentDetailJson, documentJson } from "@/lib/api/present";
import { documentIdParam, renameDocumentRequest } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { deleteDocument, getDocument, renameDocument } from "@/lib/documents/library";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route(async (_request: Request, { params }: Params) => {
  const id = parseOrThrow(documentIdParam, (await params).id);
  return json({ document: documentDetailJson(await getDocument(await (await getAppContext()).database.reader(), id)) });
});

export const PATCH = route(async (request: Request, { params }: Params) => {
  const id = parseOrThrow(documentIdParam, (await params).id);
  const context = await getAppContext();
  const { title } = await readJson(request, renameDocumentRequest, context.config.MAX_REQUEST_BYTES);
  return json({ document: documentJson(await renameDocument(context.database.db, id, title)) });
});

export const DELETE = route(async (_request: Request, { params }: Params) => {
  const id = parseOrThrow(documentIdParam, (await params).id);
  await deleteDocument((await getAppContext()).database.db, id);
  return new Response(null, { status: 204 });
});
