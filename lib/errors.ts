/** Something the caller sent that pgrag cannot accept; the message says what to change. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 415 | 422 = 422,
  ) {
    super(message);
  }
}

/** A size limit as people say it: "50 MB", "256 KB". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
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
