import type {
  ApiErrorBody,
  CreateDocumentRequest,
  CreateDocumentResponse,
  DocumentListResponse,
  SearchRequest,
  SearchResponse,
} from "@/lib/api/schemas";

/** The browser's typed view of /api: every failure becomes an Error with the server's message. */
async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: init?.body ? { "content-type": "application/json" } : undefined,
  });
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (body as ApiErrorBody | undefined)?.error?.message;
    throw new Error(message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}

export const api = {
  createDocument: (input: CreateDocumentRequest) =>
    call<CreateDocumentResponse>("/api/documents", { method: "POST", body: JSON.stringify(input) }),
  listDocuments: () => call<DocumentListResponse>("/api/documents?limit=100"),
  deleteDocument: (id: number) => call<void>(`/api/documents/${id}`, { method: "DELETE" }),
  search: (input: SearchRequest) =>
    call<SearchResponse>("/api/search", { method: "POST", body: JSON.stringify(input) }),
};
