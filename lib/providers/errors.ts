import OpenAI from "openai";

export type ProviderErrorCode = `${"embedder" | "chat"}_${"unavailable" | "model_not_found" | "unauthorized" | "bad_response"}`;

/** A failure of a model server, phrased for the person who configures it. */
export class ProviderError extends Error {
  override name = "ProviderError";
  // Next.js bundles this module more than once (the server's start-up, which
  // creates the embedder, and each route), so an error thrown by the embedder
  // is an instance of another copy of this class. Recognized by name and code
  // instead, an unreachable model answers 503 everywhere, not 500, and a
  // document it cuts off waits for it rather than failing.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === "ProviderError" && typeof (value as { code?: unknown }).code === "string";
  }
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ProviderSettings {
  /** "embedder" or "chat": also the error code's prefix. */
  kind: "embedder" | "chat";
  /** The environment variables' prefix: EMBEDDING or CHAT. */
  variables: "EMBEDDING" | "CHAT";
  baseURL: string;
  model: string;
}

/** Turns an openai SDK failure into one sentence that names the setting to fix. */
export async function explainOpenAIError(
  error: unknown,
  client: OpenAI,
  settings: ProviderSettings,
): Promise<ProviderError> {
  const { kind, variables, baseURL, model } = settings;
  const server = `The ${kind === "embedder" ? "embedding" : "chat"} server at ${baseURL} (${variables}_BASE_URL)`;
  if (error instanceof ProviderError) return error;
  if (error instanceof OpenAI.APIConnectionError) {
    return new ProviderError(
      `${kind}_unavailable`,
      `${server} cannot be reached. Start LM Studio's local server (or Ollama, vLLM), or set ${variables}_BASE_URL to a running OpenAI-compatible server.`,
      { cause: error },
    );
  }
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new ProviderError(`${kind}_unauthorized`, `${server} refused the API key. Set ${variables}_API_KEY to a valid key.`, {
      cause: error,
    });
  }
  if (isUnknownModel(error)) {
    const available = await listModels(client);
    const hint = available.length > 0 ? ` Models it has: ${available.join(", ")}.` : "";
    return new ProviderError(
      `${kind}_model_not_found`,
      `${server} has no model "${model}" (${variables}_MODEL): load it there or set ${variables}_MODEL to one it serves.${hint}`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${kind}_bad_response`, `${server} failed: ${detail}`, { cause: error });
}

/** Servers say "unknown model" differently: OpenAI and vLLM with 404, LM Studio and Ollama with 400 and a message. */
function isUnknownModel(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return false;
  if (error.status === 404 || error.code === "model_not_found") return true;
  return error.status === 400 && /model.*(not found|does not exist|not loaded|unknown|invalid)|(unknown|invalid|no) model/i.test(error.message);
}

async function listModels(client: OpenAI): Promise<string[]> {
  try {
    const page = await client.models.list();
    return page.data.map((m) => m.id).slice(0, 20);
  } catch {
    return [];
  }
}
