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
      // No deep links: Swagger UI puts them as links inside each operation's button, which assistive technology cannot reach.
      SwaggerUIBundle({ domNode: container.current, url: "/api/openapi.json", deepLinking: false, tryItOutEnabled: true });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  // Swagger UI has no dark theme: inverted with hues kept, it follows the page's (method colours stay recognisable).
  return <div ref={container} className="rounded-xl bg-white py-2 dark:hue-rotate-180 dark:invert-[0.9]" data-testid="api-docs" />;
}
