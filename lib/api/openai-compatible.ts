import "server-only";
import type { z } from "zod";
import type { AnswerEvent, FullAnswer } from "../answer/answer";
import type { WireEvent } from "./event-stream";
import type { Turn } from "../answer/prompt";
import type { Source } from "../answer/sources";
import { describeLocation } from "../documents/location";
import { InputError } from "../errors";
import type { openAIChatRequest } from "./schemas";

/**
 * pgrag as an OpenAI-compatible model: the last user message is the question,
 * earlier user and assistant messages are the conversation, and the answer
 * comes back as a chat completion whose text cites [n] and ends with the list
 * of cited sources. The sources themselves travel in an extra `sources` field,
 * which OpenAI clients pass through untouched.
 */
export const MODEL_ID = "pgrag";

type OpenAIRequest = z.output<typeof openAIChatRequest>;

function text(content: OpenAIRequest["messages"][number]["content"]): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text ?? "").join("");
}

export function questionAndHistory(request: OpenAIRequest): { question: string; history: Turn[] } {
  const turns = request.messages
    .filter((m) => m.role === "user" || m.role === "assistant")
    .map((m) => ({ role: m.role as Turn["role"], content: text(m.content) }));
  const last = turns.at(-1);
  if (!last || last.role !== "user" || last.content.trim() === "") {
    throw new InputError("invalid_request", "The last message must be the user's question, with text.", 422);
  }
  return { question: last.content, history: turns.slice(0, -1) };
}

export interface SourceField {
  number: number;
  chunk_id: number;
  document_id: number;
  document_title: string;
  location: string;
  content: string;
  score: number;
}

export function sourceField(source: Source): SourceField {
  return {
    number: source.number,
    chunk_id: source.chunkId,
    document_id: source.documentId,
    document_title: source.documentTitle,
    location: describeLocation(source.location, source.documentTitle),
    content: source.content,
    score: source.score,
  };
}

/** The cited sources as text, for clients that show only the message. */
export function sourcesFooter(sources: Source[], cited: number[]): string {
  const citedSources = sources.filter((s) => cited.includes(s.number));
  if (citedSources.length === 0) return "";
  const lines = citedSources.map((s) => {
    const where = describeLocation(s.location, s.documentTitle);
    return `[${s.number}] ${s.documentTitle}${where ? `, ${where}` : ""}`;
  });
  return `\n\nSources:\n${lines.join("\n")}`;
}

const now = () => Math.floor(Date.now() / 1000);
const completionId = () => `chatcmpl-pgrag-${crypto.randomUUID()}`;

export function chatCompletion(answer: FullAnswer) {
  return {
    id: completionId(),
    object: "chat.completion" as const,
    created: now(),
    model: MODEL_ID,
    choices: [
      {
        index: 0,
        message: { role: "assistant" as const, content: answer.content + sourcesFooter(answer.sources, answer.cited), refusal: null },
        logprobs: null,
        finish_reason: "stop" as const,
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    sources: answer.sources.map(sourceField),
  };
}

export type CompletionChunkEvent = { type: "chunk"; data: Record<string, unknown> } | { type: "end" };

/** The answer's events as chat.completion.chunk objects, then [DONE]; a failure mid-answer is sent as an error object, as OpenAI does. */
export async function* completionChunks(events: AsyncGenerator<AnswerEvent>): AsyncGenerator<CompletionChunkEvent> {
  const id = completionId();
  const created = now();
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    ({
      type: "chunk",
      data: { id, object: "chat.completion.chunk", created, model: MODEL_ID, choices: [{ index: 0, delta, finish_reason: finish }], ...extra },
    }) as const;
  let sources: Source[] = [];
  for await (const event of events) {
    if (event.type === "sources") {
      sources = event.sources;
      yield chunk({ role: "assistant", content: "" }, null, { sources: sources.map(sourceField) });
    } else if (event.type === "delta") {
      yield chunk({ content: event.text });
    } else if (event.type === "done") {
      const footer = sourcesFooter(sources, event.cited);
      if (footer) yield chunk({ content: footer });
      yield chunk({}, "stop");
    } else if (event.type === "error") {
      yield { type: "chunk", data: { error: { message: event.message, type: "server_error", code: event.code } } };
    }
  }
  yield { type: "end" };
}

/** OpenAI's stream: unnamed events, and the literal [DONE] at the end. */
export function completionChunkWire(event: CompletionChunkEvent): WireEvent {
  return event.type === "end" ? { rawData: "[DONE]" } : { data: event.data };
}
