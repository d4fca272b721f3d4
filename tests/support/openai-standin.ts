import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible server for tests, speaking the real HTTP wire format of
 * /v1/embeddings, /v1/chat/completions (JSON and server-sent events) and
 * /v1/models, in place of LM Studio or a hosted API that cannot run here.
 * Vectors are derived from the text, so the same input always gives the same
 * vector; a chat model answers with its scripted reply, one delta per word.
 */
export interface StandIn {
  baseURL: string;
  requests: { path: string; body: { model?: string; input?: string[]; messages?: unknown[]; stream?: boolean } }[];
  close(): Promise<void>;
}

export interface StandInModel {
  /** An embedding model's vector length. */
  dimensions?: number;
  /** A chat model's reply, streamed a word at a time; a function answers from the request's messages. */
  reply?: string | ((messages: { role: string; content: string }[]) => string);
  /** Chat: fail with this message after streaming `failAfter` words. */
  failAfter?: number;
  /** Chat: pause between deltas. Embeddings: pause before answering. */
  delayMs?: number;
}

export async function startOpenAIStandIn(options: {
  models: Record<string, StandInModel>;
  apiKey?: string;
  /** A fixed port, for a stand-in other processes are told about; any free port otherwise. */
  port?: number;
}): Promise<StandIn> {
  const requests: StandIn["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
    }
    if (req.method === "GET" && req.url === "/v1/models") {
      return send(200, {
        object: "list",
        data: Object.keys(options.models).map((id) => ({ id, object: "model", created: 0, owned_by: "standin" })),
      });
    }
    if (req.method === "POST" && req.url === "/v1/embeddings") {
      const body = JSON.parse(await readBody(req)) as { model: string; input: string | string[] };
      const input = Array.isArray(body.input) ? body.input : [body.input];
      requests.push({ path: req.url, body: { model: body.model, input } });
      const model = options.models[body.model];
      if (!model?.dimensions) {
        return send(404, { error: { message: `model '${body.model}' not found`, type: "invalid_request_error", code: "model_not_found" } });
      }
      if (model.delayMs) await new Promise((resolve) => setTimeout(resolve, model.delayMs));
      if (res.destroyed) return;
      return send(200, {
        object: "list",
        model: body.model,
        data: input.map((text, index) => ({ object: "embedding", index, embedding: vectorFor(text, model.dimensions!) })),
        usage: { prompt_tokens: input.length, total_tokens: input.length },
      });
    }
    if (req.method === "POST" && req.url === "/v1/chat/completions") {
      const body = JSON.parse(await readBody(req)) as { model: string; messages: { role: string; content: string }[]; stream?: boolean };
      requests.push({ path: req.url, body });
      const model = options.models[body.model];
      if (!model?.reply) {
        return send(404, { error: { message: `model '${body.model}' not found`, type: "invalid_request_error", code: "model_not_found" } });
      }
      const id = `chatcmpl-${requests.length}`;
      const reply = typeof model.reply === "function" ? model.reply(body.messages) : model.reply;
      if (!body.stream) {
        return send(200, {
          id,
          object: "chat.completion",
          created: 0,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
        });
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
      const chunk = (delta: Record<string, string>, finish: string | null = null) =>
        event({ id, object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] });
      chunk({ role: "assistant", content: "" });
      const words = reply.split(/(?<= )/);
      for (const [i, word] of words.entries()) {
        if (model.failAfter !== undefined && i === model.failAfter) {
          event({ error: { message: "the model crashed mid-stream", type: "server_error" } });
          return res.end();
        }
        if (model.delayMs) await new Promise((resolve) => setTimeout(resolve, model.delayMs));
        if (res.destroyed) return;
        chunk({ content: word });
      }
      chunk({}, "stop");
      res.write("data: [DONE]\n\n");
      return res.end();
    }
    send(404, { error: { message: `no route ${req.method} ${req.url}` } });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    // Like a server process dying: open connections are cut, not drained.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function vectorFor(text: string, dimensions: number): number[] {
  const seed = createHash("sha256").update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => (seed[i % seed.length]! - 127.5) / 127.5);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (part: string) => (data += part));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
