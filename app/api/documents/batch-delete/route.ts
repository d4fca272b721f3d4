import { json, readJson, route } from "@/lib/api/http";
import { deleteDocumentsRequest, type DeleteDocumentsResponse } from "@/lib/api/schemas";
import { getAppContext } from "@/lib/context";
import { deleteDocuments } from "@/lib/documents/library";

export const dynamic = "force-dynamic";

/** Several documents at once, as the library's selection deletes them; ids already gone are not an error. */
export const POST = route(async (request: Request) => {
  const context = await getAppContext();
  const { ids } = await readJson(request, deleteDocumentsRequest, context.config.MAX_REQUEST_BYTES);
  const body: DeleteDocumentsResponse = { deleted: await deleteDocuments(context.database.db, ids) };
  return json(body);
});
