import nextEnv from "@next/env";

// Scripts read .env files exactly as the Next.js server does.
nextEnv.loadEnvConfig(process.cwd());
