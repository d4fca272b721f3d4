import { InputError } from "../../errors";
import { normalizeText } from "../normalize";
import { BlockBuilder } from "./builder";
import type { ParsedDocument } from "./types";

/**
 * JSON: an array of records becomes one block per record ("key: value; …");
 * an object becomes one block per top-level key, headed by that key. Nested
 * values are flattened to dotted paths so every value keeps its name.
 */
export function parseJson(source: string, filename: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new InputError("invalid_file", `${filename} is not valid JSON: ${(error as Error).message}.`, 422);
  }
  const builder = new BlockBuilder();
  if (Array.isArray(value)) {
    value.forEach((item, index) => builder.add({ kind: "paragraph", text: flatten(item, filename).join("; "), row: index + 1 }));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      builder.heading(1, key);
      builder.add({ kind: "paragraph", text: flatten(item, filename).join("\n") });
    }
  } else {
    builder.add({ kind: "paragraph", text: flatten(value, filename).join("") });
  }
  return { blocks: builder.blocks };
}

/** Nesting deeper than any real data file; a deeper file is refused with the reason rather than exhausting the stack. */
export const MAX_JSON_DEPTH = 64;

/** Every value with its dotted path, in document order; walked with a list, since JSON.parse builds nesting deeper than a call stack. */
function flatten(root: unknown, filename: string): string[] {
  const lines: string[] = [];
  const pending: [value: unknown, path: string, depth: number][] = [[root, "", 0]];
  while (pending.length > 0) {
    const [value, path, depth] = pending.pop()!;
    if (depth > MAX_JSON_DEPTH) {
      throw new InputError("too_deep", `${filename} nests its values more than ${MAX_JSON_DEPTH} levels deep; pgrag reads JSON up to that depth.`, 422);
    }
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== "object")) {
        const list = value.map((v) => normalizeText(String(v))).filter(Boolean).join(", ");
        if (list) lines.push(path ? `${path}: ${list}` : list);
      } else {
        for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}[${i}]`, depth + 1]);
      }
    } else if (typeof value === "object") {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        pending.push([item, path ? `${path}.${key}` : key, depth + 1]);
      }
    } else {
      const text = normalizeText(String(value));
      if (text) lines.push(path ? `${path}: ${text}` : text);
    }
  }
  return lines;
}
