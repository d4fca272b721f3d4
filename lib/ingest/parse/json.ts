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
    value.forEach((item, index) => builder.add({ kind: "paragraph", text: flatten(item).join("; "), row: index + 1 }));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      builder.heading(1, key);
      builder.add({ kind: "paragraph", text: flatten(item).join("\n") });
    }
  } else {
    builder.add({ kind: "paragraph", text: flatten(value).join("") });
  }
  return { blocks: builder.blocks };
}

function flatten(value: unknown, path = ""): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) {
      const list = value.map((v) => normalizeText(String(v))).filter(Boolean).join(", ");
      return list ? [path ? `${path}: ${list}` : list] : [];
    }
    return value.flatMap((v, i) => flatten(v, `${path}[${i}]`));
  }
  if (typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) => flatten(v, path ? `${path}.${key}` : key));
  }
  const text = normalizeText(String(value));
  if (!text) return [];
  return [path ? `${path}: ${text}` : text];
}
