import { refusalUnlessAdmitted } from "@/lib/api/admission";
import { errorResponse, json, parseOrThrow, readJson, route } from "@/lib/api/http";
import { readMultipart } from "@/lib/api/multipart";
import { documentJson, storedDocumentJson, uploadOutcomeJson } from "@/lib/api/present";
import {
  createDocumentRequest,
  listDocumentsQuery,
  uploadFields,
  type CreateDocumentResponse,
  type DocumentListResponse,
  type UploadResponse,
} from "@/lib/api/schemas";
import { getAppContext, ingestDependencies } from "@/lib/context";
import { listDocuments } from "@/lib/documents/library";
import { ingestText } from "@/lib/ingest/ingest";
import { queueUploads } from "@/lib/ingest/uploads";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const { q, sort, ...filter } = parseOrThrow(listDocumentsQuery, params);
  const context = await getAppContext();
  const { documents, total } = await listDocuments(await context.database.reader(), { ...filter, query: q, order: sort });
  const body: DocumentListResponse = { documents: documents.map(documentJson), total };
  return json(body);
});

/**
 * Files (multipart/form-data) are queued and answered at once with 202; their
 * progress follows on /api/documents/events. JSON text is ingested before the
 * answer, as the original API did.
 */
export const POST = route(async (request: Request) => {
  // Uploads pass proxy.ts by (it would buffer them whole): admitted here, before a byte is read.
  const refused = await refusalUnlessAdmitted(request);
  if (refused) return refused;
  const context = await getAppContext();
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    const { files, fields } = await readMultipart(request, {
      fileBytes: context.config.MAX_UPLOAD_BYTES,
      files: context.config.MAX_UPLOAD_FILES,
    });
    if (files.length === 0) return errorResponse(422, "no_files", "The upload holds no files: attach them as form fields.");
    const { title, source } = parseOrThrow(uploadFields, fields);
    const outcomes = await queueUploads(context.database.db, files, {
      maxBytes: context.config.MAX_UPLOAD_BYTES,
      title,
      source,
    });
    context.worker.wake();
    const body: UploadResponse = { uploads: outcomes.map(uploadOutcomeJson) };
    const refused = outcomes.flatMap((outcome) => ("error" in outcome ? [outcome.error] : []));
    // All refused for one reason: answer with that reason's status (413, 415).
    const status = refused.length === outcomes.length ? refused[0]!.status : 202;
    return json(body, status);
  }
  const input = await readJson(request, createDocumentRequest, context.config.MAX_REQUEST_BYTES);
  const result = await ingestText(await ingestDependencies(context), input);
  const body: CreateDocumentResponse = { document: storedDocumentJson(result.document), duplicate: result.duplicate };
  return json(body, result.duplicate ? 200 : 201);
});
