"use client";

import "swagger-ui-dist/swagger-ui.css";
import { useEffect, useRef } from "react";

/**
 * Swagger UI over /api/openapi.json, as the original demo's FastAPI docs
 * offered: every endpoint with its schema and a "Try it out" form that calls
 * this server.
 */
export function ApiDocs() {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    void import("swagger-ui-dist/swagger-ui-es-bundle.js").then(({ default: SwaggerUIBundle }) => {
      if (cancelled || !container.current) return;
      SwaggerUIBundle({ domNode: container.current, url: "/api/openapi.json", deepLinking: true, tryItOutEnabled: true });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return <div ref={container} className="rounded-xl bg-white py-2 dark:bg-slate-100" data-testid="api-docs" />;
}
