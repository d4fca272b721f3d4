import { normalizeText } from "../normalize";
import type { ParsedDocument } from "./types";

/** Plain text: one block per paragraph. */
export function parseText(source: string): ParsedDocument {
  const blocks = normalizeText(source)
    .split(/\n{2,}/)
    .filter((text) => text !== "")
    .map((text) => ({ text, headings: [] }));
  return { blocks };
}
