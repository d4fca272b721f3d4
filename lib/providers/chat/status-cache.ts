import type { ChatModel, ChatStatus } from "./openai";

/**
 * Remembers whether the chat server answers, so each question does not pay a
 * round trip (or a timeout, when the server hangs) to find out: a working
 * server is trusted for a minute, a missing one is retried after ten seconds.
 */
export function withStatusCache(chat: ChatModel, ttl = { reachableMs: 60_000, unreachableMs: 10_000 }): ChatModel {
  let cached: { status: Promise<ChatStatus>; at: number } | undefined;
  return {
    baseURL: chat.baseURL,
    stream: (messages, options) => chat.stream(messages, options),
    async status() {
      if (cached) {
        const status = await cached.status;
        const maxAge = status.reachable ? ttl.reachableMs : ttl.unreachableMs;
        if (Date.now() - cached.at < maxAge) return status;
      }
      cached = { status: chat.status(), at: Date.now() };
      return cached.status;
    },
  };
}
