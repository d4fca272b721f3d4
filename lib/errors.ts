/**
 * Every code an InputError carries. Clients branch on codes, so they are a
 * closed list: a new one is added here, where it can be seen beside the rest.
 */
export type InputErrorCode =
  // The request's shape
  | "invalid_request"
  | "invalid_body"
  | "invalid_json"
  | "invalid_encoding"
  | "invalid_multipart"
  | "invalid_vector"
  | "empty_body"
  | "too_deep"
  | "unsupported_media_type"
  | "payload_too_large"
  | "too_many_files"
  | "vector_needs_semantic"
  | "dimension_mismatch"
  // A file or text to add
  | "empty_content"
  | "invalid_file"
  | "unsupported_type"
  | "file_too_large"
  | "unpacks_too_large"
  | "too_large_to_read"
  | "too_slow_to_read"
  | "missing_source"
  | "incomplete_source"
  | "ingest_failed"
  // What the request names
  | "not_found"
  | "document_deleted"
  | "not_failed"
  | "nothing_to_regenerate";

/** Something the caller sent that pgrag cannot accept; the message says what to change. */
export class InputError extends Error {
  override name = "InputError";
  // Recognized by name, code and status, not by which copy of this module made
  // it: Next.js bundles it into the start-up code (which creates the document
  // reader every request shares) and into each route, and a file the reader
  // refuses ("too slow to read") must keep its own code and status in the
  // answer, as ProviderError does (lib/providers/errors.ts).
  static override [Symbol.hasInstance](value: unknown): boolean {
    const fields = value as { code?: unknown; status?: unknown };
    return value instanceof Error && value.name === "InputError" && typeof fields.code === "string" && typeof fields.status === "number";
  }
  constructor(
    readonly code: InputErrorCode,
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 415 | 422 = 422,
  ) {
    super(message);
  }
}

/**
 * The one answer to "there is no such thing": every lookup by id throws it
 * (never returns undefined), and the API answers 404 with code not_found.
 */
export function notFound(what: "document" | "conversation", ids: number | number[]): InputError {
  const list = [ids].flat();
  const named = `${list.slice(0, 5).join(", ")}${list.length > 5 ? ` (and ${list.length - 5} more)` : ""}`;
  return new InputError("not_found", `There is no ${what} ${named}; it may have been deleted.`, 404);
}


/**
 * An unexpected error as it may be logged: its kind, SQLSTATE or errno code,
 * the database's table, column and constraint names, and where in the code it
 * happened. Never a message that can carry what a person sent: a failed
 * query's parameters (drizzle puts them in its message), PostgreSQL's message
 * (it quotes the offending value), or the SQL's literals.
 */
export function describeForLog(error: unknown): string {
  const parts: string[] = [];
  let stack: string | undefined;
  for (let e: unknown = error, depth = 0; depth < 5 && e !== undefined && e !== null; depth++) {
    if (!(e instanceof Error)) {
      parts.push(typeof e);
      break;
    }
    const fields = e as Error & Record<string, unknown>;
    const names = ["code", "syscall", "address", "port", "table", "column", "constraint", "routine"]
      .filter((key) => (typeof fields[key] === "string" && fields[key] !== "") || typeof fields[key] === "number")
      .map((key) => `${key} ${String(fields[key]).slice(0, 64)}`);
    if (typeof fields.query === "string") names.push(`statement "${statementShape(fields.query)}"`);
    parts.push([e.name, ...names].join(" "));
    stack ??= e.stack?.split("\n").filter((line) => /^\s+at /.test(line)).slice(0, 6).join("\n");
    e = e.cause;
  }
  return `${parts.join(" ← ")}${stack ? `\n${stack}` : ""}`;
}

/** A statement's first words, its string literals blanked: which statement failed, not what it was given. */
function statementShape(query: string): string {
  return query.replace(/'(?:[^']|'')*'/g, "'…'").replace(/\s+/g, " ").trim().slice(0, 120);
}
