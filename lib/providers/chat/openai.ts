import OpenAI from "openai";
import { explainOpenAIError, ProviderError, type ProviderSettings } from "../errors";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatStatus {
  baseURL: string;
  model: string | null;
  reachable: boolean;
  error?: string;
}

export interface ChatModel {
  readonly baseURL: string;
  /** Streams the answer's text as the server sends it; `model` skips asking the server which model is loaded. */
  stream(
    messages: ChatMessage[],
    options?: { signal?: AbortSignal; temperature?: number; maxTokens?: number; model?: string },
  ): AsyncGenerator<string>;
  /** Whether the server answers, and which model answers; never throws. */
  status(): Promise<ChatStatus>;
}

export interface OpenAIChatOptions {
  baseURL: string;
  apiKey: string;
  /** When unset, the first model the server lists that is not an embedding model (LM Studio's loaded model). */
  model?: string;
}

const EMBEDDING_MODEL_NAME = /embed|bge-|e5-|minilm|gte-/i;

/** Chat completions from any OpenAI-compatible server: LM Studio, Ollama, vLLM, OpenAI. */
export function createOpenAIChatModel(options: OpenAIChatOptions): ChatModel {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, maxRetries: 1, timeout: 120_000 });
  const settings = (model: string): ProviderSettings => ({
    kind: "chat",
    variables: "CHAT",
    baseURL: options.baseURL,
    model,
  });

  async function resolveModel(api: OpenAI = client): Promise<string> {
    if (options.model) return options.model;
    let models: string[];
    try {
      models = (await api.models.list()).data.map((m) => m.id);
    } catch (error) {
      throw await explainOpenAIError(error, api, settings("(none set)"));
    }
    const chatModel = models.find((id) => !EMBEDDING_MODEL_NAME.test(id));
    if (!chatModel) {
      throw new ProviderError(
        "chat_model_not_found",
        `The chat server at ${options.baseURL} (CHAT_BASE_URL) has no chat model loaded. Load one there or set CHAT_MODEL.`,
      );
    }
    return chatModel;
  }

  return {
    baseURL: options.baseURL,
    async *stream(messages, { signal, temperature = 0.2, maxTokens, model: known } = {}) {
      const model = known ?? (await resolveModel());
      let stream;
      try {
        stream = await client.chat.completions.create(
          { model, messages, stream: true, temperature, max_tokens: maxTokens },
          { signal },
        );
      } catch (error) {
        if (signal?.aborted) return;
        throw await explainOpenAIError(error, client, settings(model));
      }
      try {
        for await (const chunk of stream) {
          const text = chunk.choices[0]?.delta?.content;
          if (text) yield text;
        }
      } catch (error) {
        if (signal?.aborted) return;
        throw await explainOpenAIError(error, client, settings(model));
      }
    },
    async status() {
      // Health checks must answer fast even when the server hangs.
      const quick = client.withOptions({ timeout: 2_000, maxRetries: 0 });
      try {
        if (options.model) await quick.models.list();
        const model = await resolveModel(quick);
        return { baseURL: options.baseURL, model, reachable: true };
      } catch (error) {
        const explained = await explainOpenAIError(error, quick, settings(options.model ?? "(none set)"));
        return { baseURL: options.baseURL, model: options.model ?? null, reachable: false, error: explained.message };
      }
    },
  };
}
