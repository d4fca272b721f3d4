import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatRoute from "@/app/api/chat/route";
import * as conversationRoute from "@/app/api/conversations/[id]/route";
import * as conversationsRoute from "@/app/api/conversations/route";
import * as legacyAnswerRoute from "@/app/api/legacy/answer/route";
import * as completionsRoute from "@/app/v1/chat/completions/route";
import * as modelsRoute from "@/app/v1/models/route";
import type { ChatEventJson } from "@/lib/api/schemas";
import { parseConfig } from "@/lib/config";
import { createAppContext, provideAppContext, type AppContext } from "@/lib/context";
import { ingestText } from "@/lib/ingest/ingest";
import { createOpenAIChatModel } from "@/lib/providers/chat/openai";
import { proxy } from "@/proxy";
import { NextRequest } from "next/server";
import { testReader } from "../support/reader";
import { engines, freshDatabase } from "../support/databases";
import { startOpenAIStandIn, type StandIn } from "../support/openai-standin";
import { PUMP_MANUAL } from "../support/answers";
import { testEmbedder } from "../support/embedder";

const embedder = testEmbedder();
let llm: StandIn;
beforeAll(async () => {
  llm = await startOpenAIStandIn({
    models: { "citing-model": { reply: "It moves 40 litres a minute [1], and it flies [4]." } },
  });
});
afterAll(() => llm.close());

const json = (method: string, body?: unknown, raw?: string) =>
  new Request("http://localhost/test", {
    method,
    headers: { "content-type": "application/json" },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

/** Reads a server-sent event stream the way the browser's chat does. */
async function events(response: Response): Promise<ChatEventJson[]> {
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("event: "))
    .map((block) => JSON.parse(block.split("\n").find((line) => line.startsWith("data: "))!.slice(6)) as ChatEventJson);
}

/** The official openai client, sending its requests to pgrag's route handlers. */
function openAIClient() {
  return new OpenAI({
    baseURL: "http://pgrag.test/v1",
    apiKey: "unused",
    fetch: async (url, init) => {
      const request = new Request(url, init);
      const path = new URL(request.url).pathname;
      if (path === "/v1/models") return modelsRoute.GET();
      if (path === "/v1/chat/completions") return completionsRoute.POST(request);
      return new Response("not found", { status: 404 });
    },
  });
}

describe.each(engines)("chat API on %s", (engine) => {
  let context: AppContext;

  beforeAll(async () => {
    const database = await freshDatabase(engine);
    const config = parseConfig({ CHAT_PROVIDER: "openai" });
    const chat = createOpenAIChatModel({ baseURL: llm.baseURL, apiKey: "lm-studio", model: "citing-model" });
    context = await createAppContext(config, { database, embedder, chat });
    provideAppContext(Promise.resolve(context));
    const { model } = await context.activeModel();
    await ingestText({ db: database.db, embedder, model, chunking: { size: 200, overlap: 40 }, reader: testReader() }, PUMP_MANUAL);
  });
  afterAll(async () => {
    await context.stopWorkers();
    await context.database.close();
  });

  it("POST /api/chat streams the conversation, the sources before the tokens, then the saved answer", async () => {
    const stream = await events(await chatRoute.POST(json("POST", { message: "How fast does the Zephyr-9 pump water?" })));
    expect(stream.map((e) => e.type)).toEqual(["conversation", "search", "sources", "answerer", ...stream.slice(4, -1).map(() => "delta"), "done"]);
    const done = stream.at(-1) as Extract<ChatEventJson, { type: "done" }>;
    expect(done.message.content).toBe("It moves 40 litres a minute [1], and it flies.");
    expect(done.message.sources[0]).toMatchObject({ number: 1, document_title: PUMP_MANUAL.title, cited: true, removed: false });
    expect(done.message.answerer).toBe("llm");

    const id = (stream[0] as Extract<ChatEventJson, { type: "conversation" }>).conversation.id;
    const detail = await (await conversationRoute.GET(json("GET"), params(String(id)))).json();
    expect(detail.conversation.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    expect(detail.conversation.messages[1].content).toBe(done.message.content);
  });

  it("lists, creates, renames and deletes conversations", async () => {
    const created = await conversationsRoute.POST(json("POST", { title: "Pond pumps" }));
    expect(created.status).toBe(201);
    const { conversation } = await created.json();
    const renamed = await conversationRoute.PATCH(json("PATCH", { title: "Garden pond" }), params(String(conversation.id)));
    expect((await renamed.json()).conversation).toMatchObject({ title: "Garden pond", document_ids: null });
    const noChange = await conversationRoute.PATCH(json("PATCH", {}), params(String(conversation.id)));
    expect(noChange.status).toBe(422);
    const unknown = await conversationRoute.PATCH(json("PATCH", { document_ids: [424242] }), params(String(conversation.id)));
    expect(unknown.status).toBe(404);
    const list = await (await conversationsRoute.GET(json("GET"))).json();
    expect(list.conversations[0]).toMatchObject({ id: conversation.id, title: "Garden pond" });
    expect((await conversationRoute.DELETE(json("DELETE"), params(String(conversation.id)))).status).toBe(204);
    const gone = await conversationRoute.GET(json("GET"), params(String(conversation.id)));
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.message).toMatch(/no conversation/);
  });

  it.each([
    ["nothing", {}, 422, /send a message, or regenerate/],
    ["a blank message", { message: "   " }, 422, /message must not be empty/],
    ["a number", { message: 42 }, 422, /message must be a string/],
    ["both message and regenerate", { message: "hi", regenerate: true, conversation_id: 1 }, 422, /send a message, or regenerate/],
    ["regenerate without a conversation", { regenerate: true }, 422, /regenerate needs the conversation_id/],
    ["a huge message", { message: "x".repeat(8001) }, 422, /at most 8000 characters/],
    ["an unknown field", { message: "hi", extra: 1 }, 422, /extra|unrecognized/i],
    ["an unknown conversation", { message: "hi", conversation_id: 999999 }, 404, /no conversation 999999/],
    ["unknown documents to ask about", { message: "hi", document_ids: [999998, 999999] }, 404, /no document 999998, 999999/],
    ["an empty document scope", { message: "hi", document_ids: [] }, 422, /at least one document, or be null/],
  ])("POST /api/chat refuses %s with %i", async (_name, body, status, message) => {
    const response = await chatRoute.POST(json("POST", body));
    expect(response.status).toBe(status);
    expect((await response.json()).error.message).toMatch(message);
  });

  it("POST /api/chat refuses malformed JSON in words", async () => {
    const response = await chatRoute.POST(json("POST", undefined, "{nope"));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/not valid JSON/);
  });

  it("POST /answer (the original demo's) returns the answer and its sources in one response", async () => {
    const rewritten = await proxy(new NextRequest("http://localhost/answer", { method: "POST" }));
    expect(rewritten.headers.get("x-middleware-rewrite")).toBe("http://localhost/api/legacy/answer");
    const response = await legacyAnswerRoute.POST(json("POST", { query: "How fast does the Zephyr-9 pump water?", top_k: 3 }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["answer", "answerer", "sources"]);
    expect(body.answer).toBe("It moves 40 litres a minute [1], and it flies.");
    expect(body.sources[0]).toMatchObject({ number: 1, document_title: PUMP_MANUAL.title, cited: true });
  });

  it("/v1/chat/completions answers the official openai client, without and with streaming", async () => {
    const client = openAIClient();
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(["pgrag"]);

    const messages = [{ role: "user" as const, content: "How fast does the Zephyr-9 pump water?" }];
    const completion = await client.chat.completions.create({ model: "pgrag", messages });
    const content = completion.choices[0]!.message.content!;
    expect(content).toBe(`It moves 40 litres a minute [1], and it flies.\n\nSources:\n[1] ${PUMP_MANUAL.title}`);
    expect((completion as unknown as { sources: { number: number; document_title: string }[] }).sources[0]).toMatchObject({
      number: 1,
      document_title: PUMP_MANUAL.title,
    });

    const stream = await client.chat.completions.create({ model: "pgrag", messages, stream: true });
    let streamed = "";
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      streamed += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(streamed).toBe(content);
    expect(finish).toBe("stop");

    await expect(client.chat.completions.create({ model: "pgrag", messages: [] })).rejects.toMatchObject({ status: 422 });
  });
});
