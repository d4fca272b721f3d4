import { json, route } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";
import { getConfig } from "@/lib/config";
import packageJson from "@/package.json";

// Whether the key is asked for depends on how this server was started.
export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document, generated from the request and response schemas. */
export const GET = route(async () => json(openApiDocument(packageJson.version, { keyRequired: Boolean(getConfig().API_KEY) })));
