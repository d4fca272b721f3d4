import { z } from "zod";
import {
  apiError,
  chatEvent,
  chatRequest,
  conversation,
  conversationDetail,
  conversationListResponse,
  createConversationRequest,
  createDocumentRequest,
  createDocumentResponse,
  deleteDocumentsRequest,
  deleteDocumentsResponse,
  documentDetail,
  documentListResponse,
  documentSummary,
  legacyAnswerRequest,
  legacyAnswerResponse,
  legacyIngestRequest,
  legacyIngestResponse,
  legacySearchRequest,
  legacySearchResponse,
  listConversationsQuery,
  listDocumentsQuery,
  MAX_BATCH_DELETE,
  openAIChatRequest,
  renameDocumentRequest,
  searchRequest,
  searchResponse,
  sessionRequest,
  sessionStatus,
  stopAnswerResponse,
  updateConversationRequest,
  uploadFields,
  uploadResponse,
} from "./schemas";

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the route
 * handlers validate with and the browser's types come from: each operation
 * names its schemas, and nothing about a shape is written twice.
 */

type JsonSchema = Record<string, unknown>;

interface Response {
  description: string;
  schema?: z.ZodType;
  /** Server-sent events: the schema describes each event's data. */
  events?: boolean;
}

interface Operation {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  tag: string;
  summary: string;
  description?: string;
  body?: z.ZodType;
  /**
   * What "Try it out" sends: a request that succeeds as it stands. Without it
   * Swagger UI makes one up from the schema (both query and embedding, dates
   * in the year 6156), which the server refuses.
   */
  example?: Record<string, unknown>;
  /** Multipart file upload, with these extra form fields. */
  upload?: z.ZodObject;
  query?: z.ZodObject;
  /** The path parameter `id`, described. */
  id?: string;
  responses: Record<number, Response>;
}

const problem = (description: string): Response => ({ description, schema: apiError });
const badBody = {
  400: problem("Malformed JSON, an empty body or text that is not UTF-8."),
  413: problem("The body is larger than MAX_REQUEST_BYTES."),
  415: problem("The body is not JSON."),
  422: problem("A field is missing or invalid; the message names it."),
};
const unavailable = { 503: problem("The embedding or chat server cannot be reached, or the database connection was lost.") };

export const operations: Operation[] = [
  {
    method: "post",
    path: "/ingest",
    tag: "Original demo",
    summary: "Store a text (the original demo's contract)",
    body: legacyIngestRequest,
    example: { content: "VACUUM reclaims the space of deleted rows for reuse; VACUUM FULL gives it back to the operating system.", metadata: { source: "vacuum-notes" } },
    responses: { 200: { description: "Stored and searchable.", schema: legacyIngestResponse }, ...badBody, ...unavailable },
  },
  {
    method: "post",
    path: "/search",
    tag: "Original demo",
    summary: "Semantic search (the original demo's contract)",
    body: legacySearchRequest,
    example: { query: "How do I reclaim disk space after deleting a lot of rows?", top_k: 3 },
    responses: { 200: { description: "Best first; similarity is 1 − cosine distance.", schema: legacySearchResponse }, ...badBody, ...unavailable },
  },
  {
    method: "post",
    path: "/answer",
    tag: "Original demo",
    summary: "Answer a question from the documents, not streamed (the original demo's contract)",
    body: legacyAnswerRequest,
    example: { query: "How do I reclaim disk space after deleting a lot of rows?", top_k: 3 },
    responses: { 200: { description: "The answer with [n] citations and the sources it was given.", schema: legacyAnswerResponse }, ...badBody, ...unavailable },
  },
  {
    method: "get",
    path: "/api/documents",
    tag: "Documents",
    summary: "List documents, newest first unless sorted otherwise",
    query: listDocumentsQuery,
    responses: { 200: { description: "A page of documents and the total.", schema: documentListResponse }, 422: problem("An invalid filter.") },
  },
  {
    method: "post",
    path: "/api/documents",
    tag: "Documents",
    summary: "Upload files (multipart) or store a text (JSON)",
    description:
      "Multipart: any number of files up to MAX_UPLOAD_FILES, each up to MAX_UPLOAD_BYTES; each is queued and processed in the background (watch /api/documents/events). JSON: the text is stored and embedded before the answer.",
    body: createDocumentRequest,
    example: { title: "Vacuum notes", content: "VACUUM reclaims the space of deleted rows for reuse; VACUUM FULL gives it back to the operating system." },
    upload: uploadFields,
    responses: {
      201: { description: "JSON: stored.", schema: createDocumentResponse },
      200: { description: "JSON: the same text was already stored.", schema: createDocumentResponse },
      202: { description: "Multipart: one entry per file, queued, a duplicate, or refused with the reason.", schema: uploadResponse },
      ...badBody,
      ...unavailable,
    },
  },
  {
    method: "get",
    path: "/api/documents/{id}",
    tag: "Documents",
    summary: "A document with its text and chunks",
    id: "The document's id.",
    responses: { 200: { description: "The document.", schema: z.object({ document: documentDetail }) }, 404: problem("No such document.") },
  },
  {
    method: "patch",
    path: "/api/documents/{id}",
    tag: "Documents",
    summary: "Rename a document",
    description: "The title is kept when the file is read again; search results, citations and the library show it.",
    id: "The document's id.",
    body: renameDocumentRequest,
    example: { title: "Routine vacuuming (PostgreSQL 15)" },
    responses: { 200: { description: "Renamed.", schema: z.object({ document: documentSummary }) }, ...badBody, 404: problem("No such document.") },
  },
  {
    method: "post",
    path: "/api/documents/batch-delete",
    tag: "Documents",
    summary: "Delete several documents at once",
    description: `Up to ${MAX_BATCH_DELETE} ids, deleted together in one statement.`,
    body: deleteDocumentsRequest,
    example: { ids: [1, 2] },
    responses: { 200: { description: "What was deleted.", schema: deleteDocumentsResponse }, ...badBody },
  },
  {
    method: "delete",
    path: "/api/documents/{id}",
    tag: "Documents",
    summary: "Delete a document with its chunks and vectors",
    id: "The document's id.",
    responses: { 204: { description: "Deleted; citations of it in conversations show as removed." }, 404: problem("No such document.") },
  },
  {
    method: "post",
    path: "/api/documents/{id}/retry",
    tag: "Documents",
    summary: "Queue a failed document again",
    id: "The document's id.",
    responses: { 202: { description: "Queued.", schema: z.object({ document: documentSummary }) }, 404: problem("No such document."), 409: problem("The document has not failed.") },
  },
  {
    method: "post",
    path: "/api/samples",
    tag: "Documents",
    summary: "Load the sample documents that ship with pgrag",
    description: "Three real manual pages (PostgreSQL, Python, SQLite), queued like an upload; loading them again answers with the documents already there.",
    responses: { 202: { description: "One entry per sample, queued or already there.", schema: uploadResponse }, ...unavailable },
  },
  {
    method: "get",
    path: "/api/documents/events",
    tag: "Documents",
    summary: "Document progress as server-sent events",
    responses: { 200: { description: "`event: document` with the document on every change.", schema: documentSummary, events: true } },
  },
  {
    method: "post",
    path: "/api/search",
    tag: "Search",
    summary: "Hybrid, semantic or keyword search with scores and highlights",
    body: searchRequest,
    example: { query: "How do I reclaim disk space after deleting a lot of rows?", mode: "hybrid", top_k: 5 },
    responses: { 200: { description: "Best first.", schema: searchResponse }, ...badBody, ...unavailable },
  },
  {
    method: "post",
    path: "/api/chat",
    tag: "Chat",
    summary: "Ask a question in a conversation; the answer streams",
    description:
      "Events in order: conversation, search, sources, answerer, delta…, then done or error. POST /api/conversations/{id}/stop stops the answer and the stream ends with it as saved; closing the connection stops it too, and what was written is stored as stopped.",
    body: chatRequest,
    example: { message: "How do I reclaim disk space after deleting a lot of rows?" },
    responses: {
      200: { description: "Server-sent events.", schema: chatEvent, events: true },
      ...badBody,
      404: problem("No such conversation, or unknown document ids."),
      ...unavailable,
    },
  },
  {
    method: "get",
    path: "/api/conversations",
    tag: "Chat",
    summary: "List conversations, latest activity first",
    query: listConversationsQuery,
    responses: { 200: { description: "Conversations.", schema: conversationListResponse } },
  },
  {
    method: "post",
    path: "/api/conversations",
    tag: "Chat",
    summary: "Start a conversation",
    body: createConversationRequest,
    example: { title: "Vacuuming questions" },
    responses: { 201: { description: "Created.", schema: z.object({ conversation }) }, ...badBody, 404: problem("Unknown document ids.") },
  },
  {
    method: "get",
    path: "/api/conversations/{id}",
    tag: "Chat",
    summary: "A conversation with its messages and each answer's sources",
    id: "The conversation's id.",
    responses: { 200: { description: "The conversation.", schema: z.object({ conversation: conversationDetail }) }, 404: problem("No such conversation.") },
  },
  {
    method: "patch",
    path: "/api/conversations/{id}",
    tag: "Chat",
    summary: "Rename a conversation or change the documents it asks about",
    id: "The conversation's id.",
    body: updateConversationRequest,
    example: { title: "Disk space after deletes" },
    responses: { 200: { description: "Updated.", schema: z.object({ conversation }) }, ...badBody, 404: problem("No such conversation, or unknown document ids.") },
  },
  {
    method: "post",
    path: "/api/conversations/{id}/stop",
    tag: "Chat",
    summary: "Stop the answer being written in a conversation",
    description:
      "The answer's stream stays open and ends with a `done` event carrying the stopped answer as saved, so the caller knows it is stored. `stopped` is false when nothing was being written (on this server).",
    id: "The conversation's id.",
    responses: { 200: { description: "Whether an answer was stopped.", schema: stopAnswerResponse }, 404: problem("No such conversation.") },
  },
  {
    method: "delete",
    path: "/api/conversations/{id}",
    tag: "Chat",
    summary: "Delete a conversation and its messages",
    id: "The conversation's id.",
    responses: { 204: { description: "Deleted." }, 404: problem("No such conversation.") },
  },
  {
    method: "post",
    path: "/v1/chat/completions",
    tag: "OpenAI-compatible",
    summary: "Chat completions answered from the documents, for any OpenAI client",
    description:
      "OpenAI's request and response (https://platform.openai.com/docs/api-reference/chat). The last user message is the question; the text cites [n] and ends with the cited sources; an extra `sources` field lists every source given.",
    body: openAIChatRequest,
    example: { model: "pgrag", messages: [{ role: "user", content: "How do I reclaim disk space after deleting a lot of rows?" }] },
    responses: {
      200: { description: "A chat.completion, or chat.completion.chunk events ending with [DONE] when `stream` is true." },
      ...badBody,
      ...unavailable,
    },
  },
  {
    method: "get",
    path: "/v1/models",
    tag: "OpenAI-compatible",
    summary: "The one model pgrag offers",
    responses: { 200: { description: "OpenAI's model list with the model `pgrag`." } },
  },
  {
    method: "post",
    path: "/api/reembed",
    tag: "Operations",
    summary: "Re-embed every chunk with the configured model, then switch search to it",
    responses: { 202: { description: "Started; progress in /api/health." }, 409: problem("Search already uses the configured model: nothing to re-embed."), ...unavailable },
  },
  {
    method: "get",
    path: "/api/session",
    tag: "Operations",
    summary: "Whether this server needs the API key, and whether this browser has signed in",
    responses: { 200: { description: "The session.", schema: sessionStatus } },
  },
  {
    method: "post",
    path: "/api/session",
    tag: "Operations",
    summary: "Sign a browser in with the API key (sets an HttpOnly session cookie)",
    body: sessionRequest,
    example: { api_key: "the server's API_KEY" },
    responses: { 200: { description: "Signed in.", schema: sessionStatus }, 401: problem("Not the API key."), ...badBody },
  },
  {
    method: "delete",
    path: "/api/session",
    tag: "Operations",
    summary: "Sign the browser out",
    responses: { 204: { description: "Signed out." } },
  },
  {
    method: "get",
    path: "/api/health",
    tag: "Operations",
    summary: "Database, embedder, chat server, counts and stored models",
    responses: { 200: { description: "Everything answers." }, 503: { description: "The embedder is down (the report says why)." } },
  },
];

/** Schemas with an id become shared components; refs between them are rewritten to point there. */
function collect(components: Record<string, JsonSchema>, schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  const { $defs, ...rest } = json;
  delete rest.$schema;
  for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) components[id] ??= rewriteRefs(definition);
  const meta = z.globalRegistry.get(schema);
  if (meta?.id) {
    components[meta.id as string] ??= rewriteRefs(rest);
    return { $ref: `#/components/schemas/${meta.id}` };
  }
  return rewriteRefs(rest);
}

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}

/** `keyRequired`: the server has an API_KEY, so the page offers to send it (and marks each operation with a lock). */
export function openApiDocument(version: string, { keyRequired }: { keyRequired: boolean }) {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    if (op.id) parameters.push({ name: "id", in: "path", required: true, description: op.id, schema: { type: "integer", minimum: 1 } });
    if (op.query) {
      const query = collect(components, op.query, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: "query", required: query.required?.includes(name) ?? false, schema });
      }
    }
    const content: Record<string, unknown> = {};
    if (op.body) content["application/json"] = { schema: collect(components, op.body, "input"), ...(op.example && { example: op.example }) };
    if (op.upload) {
      const fields = collect(components, op.upload, "input") as { properties?: Record<string, JsonSchema> };
      content["multipart/form-data"] = {
        schema: {
          type: "object",
          properties: { file: { type: "array", items: { type: "string", format: "binary" } }, ...fields.properties },
          required: ["file"],
        },
      };
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      const schema = response.schema && collect(components, response.schema, "output");
      responses[status] = {
        description: response.description,
        ...(schema && { content: { [response.events ? "text/event-stream" : "application/json"]: { schema } } }),
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description && { description: op.description }),
      operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/(^|[/_.-])(\w)/g, (_m, _sep, c: string) => c.toUpperCase())}`,
      ...(parameters.length && { parameters }),
      ...(Object.keys(content).length && { requestBody: { required: true, content } }),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "pgrag",
      version,
      description:
        "Upload documents, search them by meaning and by exact words, and ask questions answered from them with citations. Every error is {\"error\": {\"code\", \"message\"}}.",
    },
    ...(keyRequired && { security: [{ apiKey: [] }] }),
    paths,
    components: {
      schemas: components,
      ...(keyRequired && {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "The server's API_KEY: Authorization: Bearer <API_KEY>." },
        },
      }),
    },
  };
}
