import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Tests are server code: the marker that keeps lib/ out of the browser does not apply.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // One JSON line per request would drown the test report; tests/unit/request-log.test.ts turns it on.
    env: { LOG_REQUESTS: "false" },
    // Each integration file runs the real model on both cores; files in parallel
    // would only contend for them.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
