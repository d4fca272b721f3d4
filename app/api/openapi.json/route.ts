import { json, route } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";
import { getConfig } from "@/lib/config";
import packageJson from "@/package.json";

// Whether the key is asked for depends on how this server was started.
export const dynamic = "force-dynamic";

/** Built once for each answer to "is a key required?": converting every schema on each request is work thrown away. */
const documents = new Map<boolean, ReturnType<typeof openApiDocument>>();

/** The OpenAPI 3.1 document, generated from the request and response schemas. */
export const GET = route(async () => {
  const keyRequired = Boolean(getConfig().API_KEY);
  if (!documents.has(keyRequired)) documents.set(keyRequired, openApiDocument(packageJson.version, { keyRequired }));
  return json(documents.get(keyRequired));
});
