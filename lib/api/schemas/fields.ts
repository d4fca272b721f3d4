import { z } from "zod";
import { formats } from "../../ingest/parse/types";

/** Field schemas the endpoints share: person-readable messages, limits PostgreSQL can store. */

/**
 * Passed to every parse at the edge (lib/api/http.ts): an unknown field's
 * message names the fields, so "Unrecognized key" never reaches a person.
 */
export const personalMessages = (issue: { code?: string; keys?: string[]; path?: PropertyKey[] }) =>
  issue.code === "unrecognized_keys"
    ? `unknown field${issue.keys!.length > 1 ? "s" : ""} ${issue.keys!.map((key) => `"${key}"`).join(", ")}${issue.path?.length ? ` in ${issue.path.join(".")}` : ""}: remove ${issue.keys!.length > 1 ? "them" : "it"}`
    : undefined;

const MAX_TOP_K = 100;
/** PostgreSQL's integer, which every id column is: a larger id names nothing. */
export const MAX_ID = 2_147_483_647;
/** Longer than any search people type; a pasted page is a document, not a query. */
export const MAX_QUERY_CHARS = 2000;

/**
 * NUL cannot be stored in PostgreSQL text, and half of a UTF-16 surrogate pair
 * cannot be encoded as UTF-8: both are refused where a person's text is kept
 * or searched as given (document content is cleaned by ingestion instead).
 */
export const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const unstorable = (what: string) => `${what} must not contain NUL characters or broken Unicode (lone surrogates)`;

/** Optional text kept as given (a title, a source): within its limit, storable. */
export const keptText = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, `${what} must be at most ${max} characters`)
    .refine((value) => !UNSTORABLE.test(value), unstorable(what));

export const requiredText = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .refine((value) => value.trim() !== "", `${what} must not be empty`);

/** Text kept or searched as the person gave it: not empty, within its limit, storable. */
export const givenText = (what: string, max: number) =>
  requiredText(what)
    .refine((value) => value.length <= max, `${what} must be at most ${max} characters`)
    .refine((value) => !UNSTORABLE.test(value), unstorable(what));

/** An id in a JSON body: a whole number within PostgreSQL's integer range. */
export const rowId = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
    .max(MAX_ID, `${what} must be at most ${MAX_ID}, the largest id there is`);

/**
 * An id in a URL path: digits only, so "0x2", "1e3", " 2" and "2abc" are not
 * read as numbers the way JavaScript would read them.
 */
export const pathId = (what: string) =>
  z
    .string()
    .superRefine((value, context) => {
      const problem = !/^[+-]?\d+(\.\d+)?$/.test(value)
        ? `the ${what} id must be a number`
        : value.includes(".")
          ? `the ${what} id must be a whole number`
          : value.startsWith("-") || /^[+-]?0+$/.test(value)
            ? `the ${what} id must be positive`
            : Number(value) > MAX_ID
              ? `the ${what} id must be at most ${MAX_ID}, the largest id there is`
              : undefined;
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .transform(Number);

export const topK = z
  .number({ error: "top_k must be a number" })
  .int("top_k must be a whole number")
  .min(1, "top_k must be at least 1")
  .max(MAX_TOP_K, `top_k must be at most ${MAX_TOP_K}`);

export const formatError = `must be one of ${formats.join(", ")}`;

export const count = z.number().int().min(0);
export const timestamp = z.string().meta({ format: "date-time" });

export const apiError = z
  .object({ error: z.object({ code: z.string(), message: z.string().meta({ description: "One sentence a person can act on." }) }) })
  .meta({ id: "Error" });
export type ApiErrorBody = z.infer<typeof apiError>;

export const range = z.tuple([z.number().int(), z.number().int()]);

export const MAX_QUESTION_CHARS = 8000;

export const question = (what: string) => givenText(what, MAX_QUESTION_CHARS);
