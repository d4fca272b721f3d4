import { z } from "zod";
import { DEFAULT_HNSW_GRAPH, type HnswGraph } from "./db/hnsw-graph";
import { vectorIndexTypes } from "./db/schema";
import { weightFormats } from "./providers/embedding/weight-formats";

/**
 * Every setting pgrag reads from the environment, validated once. A bad value
 * becomes a ConfigError whose message names the variable and how to fix it, so
 * the person starting the app sees one sentence instead of a stack trace.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** An empty variable counts as unset, as it does in most .env tooling. */
const optionalPositiveInt = (max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().int().positive().max(max).optional(),
  );

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

const weight = (fallback: number) => z.coerce.number().min(0).max(100).default(fallback);

const configSchema = z
  .object({
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
        .optional(),
    ),
    /** Streaming replicas for searches and document reads, comma-separated. */
    DATABASE_READ_URL: optionalText.pipe(
      z
        .string()
        .transform((list) => list.split(",").map((url) => url.trim()).filter((url) => url !== ""))
        .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, "must list postgres:// or postgresql:// URLs, separated by commas")))
        .optional(),
    ),
    PGLITE_DIR: z.string().trim().min(1).default(".data/pglite"),
    MIGRATIONS_DIR: z.string().trim().min(1).default("drizzle"),

    EMBEDDING_PROVIDER: z.enum(["local", "onnx", "openai"]).default("local"),
    EMBEDDING_MODEL_PATH: optionalText,
    MODELS_DIR: z.string().trim().min(1).default(".data/models"),
    EMBEDDING_BASE_URL: z.url().default("http://127.0.0.1:1234/v1"),
    EMBEDDING_API_KEY: z.string().default("lm-studio"),
    EMBEDDING_MODEL: z.string().trim().min(1).default("nomic-embed-text-v1.5"),
    EMBEDDING_DIMENSIONS: optionalPositiveInt(16000),
    EMBEDDING_MAX_TOKENS: positiveInt(512),
    EMBEDDING_BATCH_SIZE: positiveInt(64),
    EMBEDDING_THREADS: optionalPositiveInt(64),
    EMBEDDING_WEIGHTS: z.enum(weightFormats).default("float"),
    EMBEDDING_QUERY_PREFIX: z.string().optional(),
    EMBEDDING_DOCUMENT_PREFIX: z.string().optional(),

    CHAT_BASE_URL: z.url().default("http://127.0.0.1:1234/v1"),
    CHAT_API_KEY: z.string().default("lm-studio"),
    CHAT_MODEL: optionalText,
    CHAT_PROVIDER: z.enum(["auto", "openai", "extractive"]).default("auto"),
    CHAT_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
    CHAT_CONTEXT_TOKENS: z.coerce.number().int().min(1024).max(2_000_000).default(4096),
    CHAT_ANSWER_TOKENS: z.coerce.number().int().min(64).max(100_000).default(1024),
    ANSWER_TOP_K: z.coerce.number().int().min(1).max(50).default(8),
    ANSWER_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.2),

    CHUNK_SIZE: positiveInt(200),
    CHUNK_OVERLAP: z.coerce.number().int().min(0).default(40),
    MAX_REQUEST_BYTES: positiveInt(10 * 1024 * 1024),
    MAX_UPLOAD_BYTES: positiveInt(50 * 1024 * 1024),
    MAX_UPLOAD_FILES: positiveInt(20),
    INGEST_CONCURRENCY: positiveInt(3),
    // A reader thread needs ~100 MB for its parsers and tokenizer before any document.
    MAX_READ_MEMORY_MB: z.coerce.number().int().min(256).default(1024),
    MAX_READ_SECONDS: positiveInt(300),

    LOG_REQUESTS: z.stringbool().default(true),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    TRUSTED_ORIGINS: z
      .string()
      .default("")
      .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^https?$/, error: "must be a comma-separated list of origins such as https://notes.example.com" }).transform((url) => new URL(url).origin))),
    API_KEY: optionalText.pipe(
      z
        .string()
        .min(16, "must be at least 16 characters: a long random string such as the output of `openssl rand -hex 24`")
        .optional(),
    ),

    SEARCH_FUSION: z.enum(["convex", "rrf", "convex-minmax"]).default("convex"),
    SEARCH_SEMANTIC_WEIGHT: weight(1),
    SEARCH_KEYWORD_WEIGHT: weight(1),
    SEARCH_EF_SEARCH: z.coerce.number().int().min(1).max(1000).default(40),
    VECTOR_INDEX_TYPE: z.enum(vectorIndexTypes).default("vector"),
    // pgvector's own bounds.
    HNSW_M: z.coerce.number().int().min(2).max(100).default(DEFAULT_HNSW_GRAPH.m),
    HNSW_EF_CONSTRUCTION: z.coerce.number().int().min(4).max(1000).default(DEFAULT_HNSW_GRAPH.efConstruction),
    BM25_K1: z.coerce.number().min(0).max(10).default(0.9),
    BM25_B: z.coerce.number().min(0).max(1).default(0.4),
  })
  .refine((c) => c.CHAT_ANSWER_TOKENS < c.CHAT_CONTEXT_TOKENS / 2, {
    path: ["CHAT_ANSWER_TOKENS"],
    message: "must be less than half of CHAT_CONTEXT_TOKENS, to leave room for the sources",
  })
  .refine((c) => c.EMBEDDING_PROVIDER !== "onnx" || c.EMBEDDING_MODEL_PATH, {
    path: ["EMBEDDING_MODEL_PATH"],
    message: "must name the model's folder when EMBEDDING_PROVIDER is onnx (model.onnx or onnx/model.onnx, tokenizer.json, config.json, 1_Pooling/config.json)",
  })
  .refine((c) => !c.DATABASE_READ_URL?.length || c.DATABASE_URL, {
    path: ["DATABASE_READ_URL"],
    message: "needs DATABASE_URL: replicas follow a PostgreSQL server, and the embedded database has none",
  })
  .refine((c) => c.HNSW_EF_CONSTRUCTION >= 2 * c.HNSW_M, {
    path: ["HNSW_EF_CONSTRUCTION"],
    message: "must be at least twice HNSW_M, as pgvector requires",
  })
  .refine((c) => c.CHUNK_OVERLAP < c.CHUNK_SIZE, {
    path: ["CHUNK_OVERLAP"],
    message: "must be smaller than CHUNK_SIZE",
  });

export type Config = z.infer<typeof configSchema>;

/** Every variable pgrag reads: what deployment files may set. */
export const configVariables = Object.keys(configSchema.shape);

export class ConfigError extends Error {
  override name = "ConfigError";
  // By name, for the reason InputError gives (lib/errors.ts): the embedder that
  // finds its model folder wrong is made by the start-up bundle's copy.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === "ConfigError";
  }
}

/** Keys and passwords never reach a log or an error message. */
export function redact(variable: string, value: string): string {
  if (/KEY|SECRET|TOKEN|PASSWORD/i.test(variable)) return "(hidden)";
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? "configuration");
  const got = env[variable];
  const shown = got === undefined ? "" : ` (got "${redact(variable, got)}")`;
  throw new ConfigError(
    `Invalid setting ${variable}${shown}: ${issue.message}. Fix it in .env or the environment, or unset it to use the default.`,
  );
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Room for each file's part headers and the form's text fields around the files themselves. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

/** The largest body a request may carry: a full upload (every file at its limit) or a JSON body. */
export function largestRequestBytes(config: Pick<Config, "MAX_REQUEST_BYTES" | "MAX_UPLOAD_BYTES" | "MAX_UPLOAD_FILES">): number {
  return Math.max(config.MAX_REQUEST_BYTES, config.MAX_UPLOAD_FILES * config.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES);
}

/** The graph vector indexes are built with. */
export function hnswGraph(config: Pick<Config, "HNSW_M" | "HNSW_EF_CONSTRUCTION">): HnswGraph {
  return { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION };
}
