import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument, operations } from "@/lib/api/openapi";
import { searchRequest } from "@/lib/api/schemas";

const document = openApiDocument("0.0.0-test", { keyRequired: true });

/** Every route handler under app/, as the OpenAPI path it serves. */
function routePaths(dir = "app"): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routePaths(path);
    if (name !== "route.ts") return [];
    return ["/" + relative("app", dir).replace(/\[(\w+)\]/g, "{$1}").replace(/\\/g, "/")];
  });
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("describes every route handler, and the original demo's paths where the proxy serves them", () => {
    const documented = new Set(Object.keys(document.paths));
    const legacy: Record<string, string> = { "/api/legacy/ingest": "/ingest", "/api/legacy/search": "/search", "/api/legacy/answer": "/answer" };
    const missing = routePaths()
      .filter((path) => path !== "/api/openapi.json")
      .map((path) => legacy[path] ?? path)
      .filter((path) => !documented.has(path));
    expect(missing).toEqual([]);
  });

  it("takes request shapes from the zod schemas the handlers validate with", () => {
    const body = (document.paths["/api/search"]!.post as { requestBody: { content: Record<string, { schema: { properties: Record<string, { maximum?: number; enum?: string[] }> } }> } })
      .requestBody.content["application/json"]!.schema;
    expect(body.properties.top_k!.maximum).toBe(100);
    expect(body.properties.mode!.enum).toEqual(["hybrid", "semantic", "keyword"]);
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(searchRequest.shape).sort());
  });

  it("resolves every $ref to a component", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(document.components.schemas).toHaveProperty(ref);
  });

  it("gives every JSON request an example its own schema accepts, so Try it out succeeds as it stands", () => {
    const withBodies = operations.filter((operation) => operation.body);
    expect(withBodies.length).toBeGreaterThan(5);
    for (const operation of withBodies) {
      expect(operation.example, `${operation.method} ${operation.path}`).toBeDefined();
      const parsed = operation.body!.safeParse(operation.example);
      expect(parsed.success, `${operation.method} ${operation.path}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it("asks for the key, with a lock on each operation, only where the server has one", () => {
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(document.components.securitySchemes).toBeDefined();
    const open = openApiDocument("0.0.0-test", { keyRequired: false });
    expect(open.security).toBeUndefined();
    expect(JSON.stringify(open)).not.toContain("securitySchemes");
  });
});
