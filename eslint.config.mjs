import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // The core speaks domain types; only the HTTP edge (lib/api, route handlers) knows the wire's JSON.
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    ignores: ["lib/api/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(\\.\\.?/)+api(/|$)|^@/lib/api(/|$)",
              message: "lib/ speaks domain types: return them and let lib/api or the route handler turn them into wire JSON.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores([".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**"]),
]);
