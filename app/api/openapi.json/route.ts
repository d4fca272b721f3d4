import { json, route } from "@/lib/api/http";
import { openApiDocument } from "@/lib/api/openapi";
import packageJson from "@/package.json";

export const dynamic = "force-static";

/** The OpenAPI 3.1 document, generated from the request and response schemas. */
export const GET = route(async () => json(openApiDocument(packageJson.version)));
