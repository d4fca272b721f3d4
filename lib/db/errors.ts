import "server-only";
import { ConfigError } from "../config";

/** What a database failure means: the server's fault, the machine's, or a missing extension. */
export function connectionError(error: unknown): ConfigError {
  return new ConfigError(
    `Cannot connect to the PostgreSQL server in DATABASE_URL (${describeError(error)}). Start the server, fix DATABASE_URL, or unset it to use the embedded database.`,
  );
}

export function migrationError(error: unknown): ConfigError {
  const message = describeError(error);
  if (/extension "vector"|vector\.control/i.test(message)) {
    return new ConfigError(
      `The PostgreSQL server in DATABASE_URL has no pgvector extension (${message}). Install pgvector on the server (the pgvector/pgvector Docker image has it) and start again.`,
    );
  }
  return new ConfigError(`Applying database migrations failed: ${message}.`);
}

/** Whether a database error (or one it wraps) carries this SQLSTATE or errno code. */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code;
    if (code && codes.includes(code)) return true;
  }
  return false;
}

/**
 * The database cannot write: out of disk (SQLSTATE 53100), memory (53200) or
 * connections (53300). Nothing was half-saved, since the transaction failed
 * whole; the fix is on the machine, not in the request.
 */
export function isDatabaseOutOfResources(error: unknown): boolean {
  return hasErrorCode(error, "53100", "53200", "53300", "ENOSPC");
}

/** The server went away or is restarting: worth a retry, not a bug report. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (hasErrorCode(error, "ECONNREFUSED", "ECONNRESET", "57P01", "57P02", "57P03")) return true;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/**
 * An error and its cause's message, for the operator when the database cannot
 * be opened or migrated. Unlike describeForLog (lib/errors.ts), it keeps the
 * messages: no one's data is in a failed connection or migration, and the
 * message is what says how to fix it.
 */
function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
