import { EventSourceParserStream } from "eventsource-parser/stream";
import type { Health as HealthJson } from "@/lib/health";
import type {
  ApiErrorBody,
  ChatEventJson,
  ChatRequest,
  ConversationDetailJson,
  ConversationJson,
  ConversationListResponse,
  CreateDocumentRequest,
  CreateDocumentResponse,
  DeleteDocumentsResponse,
  DocumentDetailJson,
  DocumentListResponse,
  DocumentSummaryJson,
  SearchRequest,
  SearchResponse,
  SessionStatusJson,
  StopAnswerResponse,
  UploadResponse,
  UploadResultJson,
} from "@/lib/api/schemas";

const unauthorizedListeners = new Set<() => void>();

/** Called whenever the server asks for the API key (401), so the sign-in dialog can open. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function noticeStatus(status: number) {
  if (status === 401) for (const listener of unauthorizedListeners) listener();
}

/** The browser's typed view of /api: every failure becomes an Error with the server's message. */
async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: init?.body ? { "content-type": "application/json" } : undefined,
  });
  noticeStatus(response.status);
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(errorMessage(body, response.status));
  return body as T;
}

function errorMessage(body: unknown, status: number): string {
  return (body as ApiErrorBody | undefined)?.error?.message ?? `The server answered ${status}.`;
}

export interface DocumentFilter {
  q?: string;
  status?: string;
  format?: string;
  sort?: string;
}

export const api = {
  createDocument: (input: CreateDocumentRequest) =>
    call<CreateDocumentResponse>("/api/documents", { method: "POST", body: JSON.stringify(input) }),
  /** Up to 200 (the API's most) unless a page is asked for. */
  listDocuments: (filter: DocumentFilter = {}, { limit = 200, offset = 0 } = {}) => {
    const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
    return call<DocumentListResponse>(`/api/documents?${params}`);
  },
  getDocument: (id: number) => call<{ document: DocumentDetailJson }>(`/api/documents/${id}`),
  renameDocument: (id: number, title: string) =>
    call<{ document: DocumentSummaryJson }>(`/api/documents/${id}`, { method: "PATCH", body: JSON.stringify({ title }) }),
  deleteDocument: (id: number) => call<void>(`/api/documents/${id}`, { method: "DELETE" }),
  deleteDocuments: (ids: number[]) =>
    call<DeleteDocumentsResponse>("/api/documents/batch-delete", { method: "POST", body: JSON.stringify({ ids }) }),
  loadSamples: () => call<UploadResponse>("/api/samples", { method: "POST" }),
  retryDocument: (id: number) => call<{ document: DocumentSummaryJson }>(`/api/documents/${id}/retry`, { method: "POST" }),
  search: (input: SearchRequest, signal?: AbortSignal) =>
    call<SearchResponse>("/api/search", { method: "POST", body: JSON.stringify(input), signal }),
  uploadFile,
  /** 503 still carries the health report (the embedder is down): read it either way. */
  health: async () => (await fetch("/api/health")).json() as Promise<HealthJson>,
  startReembed: () => call<unknown>("/api/reembed", { method: "POST" }),
  listConversations: () => call<ConversationListResponse>("/api/conversations?limit=200"),
  getConversation: (id: number) => call<{ conversation: ConversationDetailJson }>(`/api/conversations/${id}`),
  updateConversation: (id: number, changes: { title?: string; document_ids?: number[] | null }) =>
    call<{ conversation: ConversationJson }>(`/api/conversations/${id}`, { method: "PATCH", body: JSON.stringify(changes) }),
  deleteConversation: (id: number) => call<void>(`/api/conversations/${id}`, { method: "DELETE" }),
  chat: streamChat,
  stopAnswer: (conversationId: number) => call<StopAnswerResponse>(`/api/conversations/${conversationId}/stop`, { method: "POST" }),
  session: () => call<SessionStatusJson>("/api/session"),
  signIn: (apiKey: string) => call<SessionStatusJson>("/api/session", { method: "POST", body: JSON.stringify({ api_key: apiKey }) }),
  signOut: () => call<void>("/api/session", { method: "DELETE" }),
};

/**
 * POST /api/chat, reading its server-sent events as they arrive (EventSource
 * cannot POST). Resolves when the stream ends; aborting the signal closes it,
 * and the server stores what was written so far.
 */
async function streamChat(input: ChatRequest, onEvent: (event: ChatEventJson) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
    signal,
  });
  noticeStatus(response.status);
  if (!response.ok || !response.body) {
    throw new Error(errorMessage(await response.json().catch(() => undefined), response.status));
  }
  // eventsource-parser reads the stream as the EventSource standard says (multi-line data, comments, CRLF).
  const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { done, value } = await events.read();
    if (done) break;
    onEvent(JSON.parse(value.data) as ChatEventJson);
  }
}

/**
 * One file per request, through XMLHttpRequest because fetch cannot report
 * upload progress; each file gets its own bar and its own error.
 */
function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<UploadResultJson> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/documents");
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      noticeStatus(request.status);
      const body = request.response as UploadResponse | ApiErrorBody | null;
      if (body && "uploads" in body && body.uploads[0]) resolve(body.uploads[0]);
      else reject(new Error(errorMessage(body, request.status)));
    };
    request.onerror = () => reject(new Error("The upload was interrupted: check the connection and try again."));
    const form = new FormData();
    form.append("file", file);
    request.send(form);
  });
}
