import { json, parseOrThrow, route } from "@/lib/api/http";
import { storedDocumentJson } from "@/lib/api/present";
import { documentIdParam } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { retry } from "@/lib/ingest/queue";

export const dynamic = "force-dynamic";

/** Queues a failed document again, from the bytes kept for this. */
export const POST = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseOrThrow(documentIdParam, (await params).id);
  const context = await getAppContext();
  const document = await retry(context.database.db, id);
  context.worker.wake();
  return json({ document: storedDocumentJson(document) }, 202);
});
