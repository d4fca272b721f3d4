import type { Config } from "../../config";
import { createOpenAIChatModel } from "./openai";
import { withStatusCache } from "./status-cache";

export type { ChatMessage, ChatModel, ChatStatus } from "./openai";

export function createChatModel(config: Config) {
  return withStatusCache(
    createOpenAIChatModel({
      baseURL: config.CHAT_BASE_URL,
      apiKey: config.CHAT_API_KEY,
      model: config.CHAT_MODEL,
    }),
  );
}
