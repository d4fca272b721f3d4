import { documentJson, storedDocumentJson } from "@/lib/api/present";
import { json, parseOrThrow, readJson, route } from "@/lib/api/http";
import { createDocumentRequest, listDocumentsQuery } from "@/lib/api/schemas";
import type { CreateDocumentResponse, DocumentListResponse } from "@/lib/api/schemas";
import { getAppContext, ingestDependencies } from "@/lib/context";
import { listDocuments } from "@/lib/documents/library";
import { ingestText } from "@/lib/ingest/ingest";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const page = parseOrThrow(listDocumentsQuery, params);
  const context = await getAppContext();
  const { documents, total } = await listDocuments(context.database.db, page);
  const body: DocumentListResponse = { documents: documents.map(documentJson), total };
  return json(body);
});

export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const input = await readJson(request, createDocumentRequest, context.config.MAX_REQUEST_BYTES);
  const result = await ingestText(await ingestDependencies(context), input);
  const body: CreateDocumentResponse = {
    document: storedDocumentJson(result.document, result.chunkCount),
    duplicate: result.duplicate,
  };
  return json(body, result.duplicate ? 200 : 201);
});
