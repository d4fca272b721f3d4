import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIChatModel } from "@/lib/providers/chat/openai";
import { ProviderError } from "@/lib/providers/errors";
import { startOpenAIStandIn, type StandIn } from "../support/openai-standin";

let server: StandIn;

beforeAll(async () => {
  server = await startOpenAIStandIn({
    models: {
      "text-embedding-nomic-embed-text-v1.5": { dimensions: 768 },
      "qwen2.5-7b-instruct": { reply: "Postgres stores the vectors next to the rows." },
      broken: { reply: "This answer stops half way through.", failAfter: 3 },
      slow: { reply: "one two three four five six seven eight nine ten", delayMs: 50 },
    },
  });
});
afterAll(() => server.close());

const chat = (model?: string, baseURL = server.baseURL) => createOpenAIChatModel({ baseURL, apiKey: "lm-studio", model });
const collect = async (stream: AsyncGenerator<string>) => {
  const parts: string[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
};
const question = [{ role: "user" as const, content: "Where are the vectors?" }];

describe("the OpenAI-compatible chat model", () => {
  it("streams the answer delta by delta over server-sent events", async () => {
    const parts = await collect(chat("qwen2.5-7b-instruct").stream(question));
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join("")).toBe("Postgres stores the vectors next to the rows.");
    expect(server.requests.at(-1)!.body).toMatchObject({ model: "qwen2.5-7b-instruct", stream: true, messages: question });
  });

  it("uses the server's loaded chat model when CHAT_MODEL is unset, skipping embedding models", async () => {
    const parts = await collect(chat(undefined).stream(question));
    expect(parts.join("")).toBe("Postgres stores the vectors next to the rows.");
    expect(await chat(undefined).status()).toEqual({
      baseURL: server.baseURL,
      model: "qwen2.5-7b-instruct",
      reachable: true,
    });
  });

  it("reports an error that arrives in the middle of the stream, after the text so far", async () => {
    const parts: string[] = [];
    const error = await (async () => {
      for await (const part of chat("broken").stream(question)) parts.push(part);
    })().catch((e: unknown) => e);
    expect(parts.join("")).toBe("This answer stops ");
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/the model crashed mid-stream/);
  });

  it("stops a slow stream when the caller aborts", async () => {
    const controller = new AbortController();
    const parts: string[] = [];
    for await (const part of chat("slow").stream(question, { signal: controller.signal })) {
      parts.push(part);
      if (parts.length === 2) controller.abort();
    }
    expect(parts).toEqual(["one ", "two "]);
  });

  it("names CHAT_MODEL and lists the server's models when the model is unknown", async () => {
    const error = await collect(chat("gpt-9").stream(question)).catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe("chat_model_not_found");
    expect((error as Error).message).toMatch(/has no model "gpt-9" \(CHAT_MODEL\).*Models it has: .*qwen2\.5-7b-instruct/);
  });

  it("says CHAT_BASE_URL cannot be reached, in status and in use", async () => {
    const offline = chat("qwen2.5-7b-instruct", "http://127.0.0.1:9/v1");
    const status = await offline.status();
    expect(status.reachable).toBe(false);
    expect(status.error).toMatch(/^The chat server at http:\/\/127\.0\.0\.1:9\/v1 \(CHAT_BASE_URL\) cannot be reached\./);
    const error = await collect(offline.stream(question)).catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe("chat_unavailable");
  });
});
