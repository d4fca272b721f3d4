import "server-only";
import type { Config } from "../config";
import type { Database } from "../db/client";
import type { EmbeddingModel } from "../db/schema";
import type { ChatModel } from "../providers/chat";
import { ProviderError, type ProviderErrorCode } from "../providers/errors";
import type { Embedder } from "../providers/embedding";
import { search, searchSettings, type SearchSettings } from "../retrieve/search";
import type { SearchFilters } from "../retrieve/types";
import { citedNumbers, createCitationFilter, keepValidCitations } from "./citations";
import { extractiveAnswer } from "./extractive";
import { buildMessages, recentTurns, systemMessage, type Turn } from "./prompt";
import { contentWordCount, isFollowUp, rewriteWithModel, rewriteWithoutModel } from "./rewrite";
import { packSources, type Source } from "./sources";

/**
 * The answering pipeline: make the question standalone, retrieve with hybrid
 * search, pack what fits the model's window, then stream a cited answer from
 * the language model or, without one, quote the best sentences.
 */

export type ChatProviderMode = "auto" | "openai" | "extractive";

export interface AnswerSettings {
  /** auto: the language model when it answers, otherwise extractive. openai: the model or an error. extractive: never a model. */
  provider: ChatProviderMode;
  temperature: number;
  /** The model's whole window, prompt and answer. */
  contextTokens: number;
  /** Kept free in the window for the answer. */
  answerTokens: number;
  /** Chunks retrieved before packing. */
  topK: number;
  /** Hybrid scores below this count as not relevant. */
  minScore: number;
  search: SearchSettings;
}

export function answerSettings(config: Config): AnswerSettings {
  return {
    provider: config.CHAT_PROVIDER,
    temperature: config.CHAT_TEMPERATURE,
    contextTokens: config.CHAT_CONTEXT_TOKENS,
    answerTokens: config.CHAT_ANSWER_TOKENS,
    topK: config.ANSWER_TOP_K,
    minScore: config.ANSWER_MIN_SCORE,
    search: searchSettings(config),
  };
}

export interface AnswerDependencies {
  db: Database;
  model: EmbeddingModel;
  embedder: Embedder;
  chat: ChatModel;
  countTokens: (text: string) => number;
}

export interface AnswerRequest {
  question: string;
  history: Turn[];
  /** The standalone query the previous answer searched with: a follow-up's subject. */
  previousQuery?: string;
  /** Limits retrieval to part of the library, such as the documents a conversation asks about. */
  filters?: SearchFilters;
  signal?: AbortSignal;
}

export type Answerer = "llm" | "extractive";

export type AnswerEvent =
  | { type: "search"; query: string }
  | { type: "sources"; sources: Source[]; omitted: number }
  | { type: "answerer"; answerer: Answerer; model?: string; notice?: string }
  | { type: "delta"; text: string }
  | { type: "done"; content: string; cited: number[]; status: "complete" | "stopped" }
  | { type: "error"; code: ProviderErrorCode; message: string; content: string; cited: number[] };

export const NOTHING_RELEVANT =
  "I could not find anything about this in your documents, so I cannot answer it from them. Try other words, or upload a document that covers it.";
export const NO_SENTENCE_MATCHES =
  "None of the retrieved passages states an answer directly; the closest sources are listed below.";

/** Share of the window the conversation's earlier turns may take. */
const HISTORY_SHARE = 0.25;

/**
 * The pipeline in its steps: choose who answers, make the question
 * standalone, gather the sources that fit, then let the model write the answer
 * or, without one (or when it fails before writing anything in auto mode),
 * quote the best sentences.
 */
export async function* answerQuestion(
  deps: AnswerDependencies,
  request: AnswerRequest,
  settings: AnswerSettings,
): AsyncGenerator<AnswerEvent> {
  const model: UsableModel = settings.provider === "extractive" ? {} : await usableModel(deps.chat, settings.provider);
  const query = await standaloneQuery(deps, request, model.name);
  yield { type: "search", query };
  const { sources, omitted, history } = await gatherSources(deps, request, query, settings);
  yield { type: "sources", sources, omitted };
  const valid = new Set(sources.map((s) => s.number));

  if (sources.length === 0) {
    yield { type: "answerer", answerer: "extractive", notice: model.notice };
    yield* answerAtOnce(NOTHING_RELEVANT, valid);
    return;
  }
  let notice = model.notice;
  if (model.name) {
    const outcome = yield* writeWithModel(deps, model.name, { request, sources, history, valid }, settings);
    if (outcome.fallBack === undefined) return;
    notice = outcome.fallBack;
  }
  yield { type: "answerer", answerer: "extractive", notice };
  yield* answerAtOnce((await extractiveAnswer(deps, query, sources)) ?? NO_SENTENCE_MATCHES, valid);
}

/** A follow-up ("and its price?") rewritten to stand alone, so the search finds its subject. */
async function standaloneQuery(deps: AnswerDependencies, request: AnswerRequest, modelName: string | undefined): Promise<string> {
  const question = request.question.trim();
  if (!request.history.length || !isFollowUp(question, request.history, await contentWordCount(deps.db, question))) return question;
  const previousQuery = request.previousQuery ?? request.history.findLast((t) => t.role === "user")?.content ?? "";
  const rewritten = await rewriteWithoutModel(deps.db, question, previousQuery);
  if (!modelName) return rewritten;
  try {
    return await rewriteWithModel(deps.chat, modelName, request.question, request.history, request.signal);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return rewritten;
  }
}

/** Searches, then keeps the relevant results that fit the window beside the prompt and the recent conversation. */
async function gatherSources(deps: AnswerDependencies, request: AnswerRequest, query: string, settings: AnswerSettings) {
  const results = (
    await search(deps, { query, mode: "hybrid", topK: settings.topK, filters: request.filters }, settings.search)
  ).filter((result) => result.score >= settings.minScore);
  const history = recentTurns(request.history, Math.floor(settings.contextTokens * HISTORY_SHARE), deps.countTokens);
  const promptTokens = deps.countTokens(systemMessage([])) + deps.countTokens(request.question) + history.tokens;
  const budget = Math.max(0, settings.contextTokens - settings.answerTokens - promptTokens);
  return { ...packSources(results, budget, deps.countTokens), history: history.turns };
}

/**
 * Streams the model's answer with only valid citations. Ends the answer
 * (done, or an error keeping what arrived), or, in auto mode when the model
 * failed before writing a word, says why the quoted answer stands in.
 */
async function* writeWithModel(
  deps: AnswerDependencies,
  modelName: string,
  { request, sources, history, valid }: { request: AnswerRequest; sources: Source[]; history: Turn[]; valid: ReadonlySet<number> },
  settings: AnswerSettings,
): AsyncGenerator<AnswerEvent, { fallBack?: string }> {
  const { signal } = request;
  yield { type: "answerer", answerer: "llm", model: modelName };
  const filter = createCitationFilter(valid);
  let content = "";
  try {
    const messages = buildMessages(sources, history, request.question);
    // The model found by the status check: the server is not asked again which one is loaded.
    const deltas = deps.chat.stream(messages, { model: modelName, signal, temperature: settings.temperature, maxTokens: settings.answerTokens });
    for await (const delta of deltas) {
      const text = filter.push(delta);
      if (text) {
        content += text;
        yield { type: "delta", text };
      }
    }
    const rest = filter.flush();
    if (rest) {
      content += rest;
      yield { type: "delta", text: rest };
    }
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    content += filter.flush();
    if (content === "" && settings.provider === "auto") return { fallBack: `${error.message} This answer quotes your documents instead.` };
    yield { type: "error", code: error.code, message: error.message, content, cited: citedNumbers(content, valid) };
    return {};
  }
  yield { type: "done", content, cited: citedNumbers(content, valid), status: signal?.aborted ? "stopped" : "complete" };
  return {};
}

/** A whole answer at once: the quoted (extractive) one, or the one that says nothing relevant was found. */
function* answerAtOnce(text: string, valid: ReadonlySet<number>): Generator<AnswerEvent> {
  const content = keepValidCitations(text, valid);
  yield { type: "delta", text: content };
  yield { type: "done", content, cited: citedNumbers(content, valid), status: "complete" };
}

type UsableModel = { name?: string; notice?: string };

/**
 * Which model answers. In auto mode an unreachable server is not an error:
 * the extractive answerer stands in and the notice says why.
 */
async function usableModel(chat: ChatModel, provider: ChatProviderMode): Promise<UsableModel> {
  const status = await chat.status();
  if (status.reachable && status.model) return { name: status.model };
  if (provider === "openai") {
    throw new ProviderError("chat_unavailable", status.error ?? `The chat server at ${chat.baseURL} (CHAT_BASE_URL) does not answer.`);
  }
  return { notice: status.error ? `${status.error} This answer quotes your documents instead.` : undefined };
}

export interface FullAnswer {
  content: string;
  answerer: Answerer;
  model?: string;
  notice?: string;
  searchQuery: string;
  sources: Source[];
  omitted: number;
  cited: number[];
}

/** The whole answer at once, for callers that do not stream; a failure mid-answer is thrown. */
export async function answerInFull(
  deps: AnswerDependencies,
  request: AnswerRequest,
  settings: AnswerSettings,
): Promise<FullAnswer> {
  const answer: FullAnswer = { content: "", answerer: "extractive", searchQuery: request.question, sources: [], omitted: 0, cited: [] };
  for await (const event of answerQuestion(deps, request, settings)) {
    if (event.type === "search") answer.searchQuery = event.query;
    if (event.type === "sources") Object.assign(answer, { sources: event.sources, omitted: event.omitted });
    if (event.type === "answerer") Object.assign(answer, { answerer: event.answerer, model: event.model, notice: event.notice });
    if (event.type === "done") Object.assign(answer, { content: event.content, cited: event.cited });
    if (event.type === "error") throw new ProviderError(event.code, event.message);
  }
  return answer;
}
