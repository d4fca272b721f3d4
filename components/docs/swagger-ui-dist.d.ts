declare module "swagger-ui-dist/swagger-ui-es-bundle.js" {
  /** The part of Swagger UI's options pgrag uses. */
  const SwaggerUIBundle: (options: { domNode: HTMLElement; url: string; deepLinking?: boolean; tryItOutEnabled?: boolean }) => unknown;
  export default SwaggerUIBundle;
}
