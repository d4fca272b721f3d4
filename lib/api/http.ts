import "server-only";
import type { z } from "zod";
import { ConfigError, getConfig } from "../config";
import { isDatabaseOutOfResources, isDatabaseUnavailable } from "../db/errors";
import { describeBytes } from "../byte-size";
import { describeForLog, InputError, type InputErrorCode } from "../errors";
import { ProviderError, type ProviderErrorCode } from "../providers/errors";
import { personalMessages, type ApiErrorBody } from "./schemas";

export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

/** Every code the API answers an error with: the caller's mistakes, the providers' failures, and the edge's own. */
export type ErrorCode =
  | InputErrorCode
  | ProviderErrorCode
  | "unauthorized"
  | "request_too_large"
  | "cross_site_request"
  | "rate_limited"
  | "too_many_failures"
  | "method_not_allowed"
  | "no_files"
  | "nothing_to_reembed"
  | "misconfigured"
  | "database_out_of_space"
  | "database_unavailable"
  | "internal_error";

export function errorResponse(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return Response.json(body, { status, headers });
}

/**
 * Wraps a route handler so every failure leaves as `{error: {code, message}}`:
 * the caller's mistakes as 4xx, an unreachable model as 503, and only a real
 * bug as 500 (logged, with no internals in the response). Each request is
 * logged as one JSON line (see logRequest).
 */
export function route<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      response = await handler(...args);
    } catch (error) {
      response = toErrorResponse(error);
    }
    if (args[0] instanceof Request) logRequest(args[0], response, performance.now() - started);
    return response;
  };
}

/**
 * One line per request: method, path (never the query string, which can hold
 * what people search for), status and milliseconds until the response began
 * (for a stream, its first byte). Headers and bodies are never logged, so
 * keys and document text stay out of logs. LOG_REQUESTS=false turns it off.
 */
function logRequest(request: Request, response: Response, ms: number) {
  if (!loggingEnabled()) return;
  const line = {
    time: new Date().toISOString(),
    level: response.status >= 500 ? "error" : response.status >= 400 ? "warn" : "info",
    method: request.method,
    path: new URL(request.url).pathname,
    status: response.status,
    ms: Math.round(ms * 10) / 10,
  };
  console.log(JSON.stringify(line));
}

/** A broken configuration is reported by the request itself; it does not stop the log line. */
function loggingEnabled(): boolean {
  try {
    return getConfig().LOG_REQUESTS;
  } catch {
    return true;
  }
}

export interface ExplainedError {
  status: number;
  code: ErrorCode;
  message: string;
}

/**
 * What a failure means to the caller, for a JSON error response or the error
 * event that ends a stream: the caller's mistakes as 4xx, an unreachable model
 * or database as 503, a full disk as 507, and only a real bug as 500 (logged).
 */
export function explainError(error: unknown): ExplainedError {
  if (error instanceof InputError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof ProviderError) return { status: 503, code: error.code, message: error.message };
  if (error instanceof ConfigError) return { status: 503, code: "misconfigured", message: error.message };
  if (isDatabaseOutOfResources(error)) {
    return {
      status: 507,
      code: "database_out_of_space",
      message:
        "The database could not write: it is out of disk space (or memory). Nothing was half-saved. Free space where the data lives (PGLITE_DIR, or the PostgreSQL server's disk) and try again.",
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: "database_unavailable",
      message: "The database connection was lost; nothing was half-saved. Try again in a moment.",
    };
  }
  console.error(`pgrag request failed: ${describeForLog(error)}`);
  return { status: 500, code: "internal_error", message: "Something went wrong on the server; the details are in its log." };
}

export function toErrorResponse(error: unknown): Response {
  const { status, code, message } = explainError(error);
  return errorResponse(status, code, message);
}

/**
 * Reads and validates a JSON body without trusting the client: the size limit
 * holds whether or not Content-Length is sent, and every failure names the fix.
 */
export async function readJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes: number,
): Promise<z.output<Schema>> {
  const type = request.headers.get("content-type");
  // Only JSON's own type: a form's types (and text/plain) are what a page on any
  // site may send without the browser asking first, so they are never read as JSON.
  if (!type || !/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new InputError(
      "unsupported_media_type",
      `Send JSON with the header Content-Type: application/json (got ${type ? type.slice(0, 100) : "no Content-Type"}).`,
      415,
    );
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);

  const text = await readText(request, maxBytes);
  if (text.trim() === "") throw new InputError("empty_body", "The request body is empty: send a JSON object.", 400);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InputError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}.`, 400);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InputError("invalid_body", "The request body must be a JSON object.", 422);
  }
  return parseOrThrow(schema, body);
}

export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value, { error: personalMessages });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InputError("invalid_request", issue.message, 422);
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  const bytes = Buffer.concat(parts);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError("invalid_encoding", "The request body is not UTF-8 text.", 400);
  }
}

function tooLarge(maxBytes: number): InputError {
  return new InputError(
    "payload_too_large",
    `The request body is larger than the ${describeBytes(maxBytes)} limit (MAX_REQUEST_BYTES).`,
    413,
  );
}
