/**
 * One schema per endpoint, a file per resource. The browser imports the types
 * derived here, so the client and the route handlers cannot disagree about a
 * shape; the OpenAPI document (lib/api/openapi.ts) is generated from them too.
 */
export * from "./conversations";
export * from "./documents";
export * from "./legacy";
export * from "./openai";
export * from "./search";
export * from "./session";
export { apiError, personalMessages, type ApiErrorBody } from "./fields";
