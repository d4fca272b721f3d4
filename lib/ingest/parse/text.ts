import { normalizeText } from "../normalize";
import { BlockBuilder } from "./builder";
import type { ParsedDocument } from "./types";

/**
 * Plain text: one block per paragraph (blank lines between them). A paragraph
 * hard-wrapped at a fixed width, as e-mails and READMEs are, is one paragraph
 * of prose and is joined; one whose lines vary in length (a list, an address,
 * a poem) keeps its lines.
 */
export function parseText(source: string): ParsedDocument {
  const builder = new BlockBuilder();
  for (const paragraph of normalizeText(source).split(/\n{2,}/)) {
    const lines = paragraph.split("\n");
    builder.add({ kind: "paragraph", text: isHardWrapped(lines) ? lines.join(" ") : paragraph });
  }
  return { blocks: builder.blocks };
}

function isHardWrapped(lines: string[]): boolean {
  if (lines.length < 2) return false;
  // Not Math.max(...lines): a file of a few hundred thousand lines overflows the stack as arguments.
  const width = lines.reduce((widest, line) => Math.max(widest, line.length), 0);
  if (width < 40) return false;
  const listLike = /^\s*(?:[-*•+]|\d+[.)]|[a-z][.)])\s/i;
  return lines.slice(0, -1).every((line) => line.length >= width * 0.6 && !listLike.test(line)) && !listLike.test(lines.at(-1)!);
}
