import { json, route } from "@/lib/api/http";
import { uploadOutcomeJson } from "@/lib/api/present";
import type { UploadResponse } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { loadSamples } from "@/lib/samples/load";

export const dynamic = "force-dynamic";

/** Queues the sample documents that ship with pgrag; answered like an upload. */
export const POST = route(async () => {
  const context = await getAppContext();
  const outcomes = await loadSamples(context.database.db, context.config.MAX_UPLOAD_BYTES);
  context.worker.wake();
  const body: UploadResponse = { uploads: outcomes.map(uploadOutcomeJson) };
  return json(body, 202);
});
