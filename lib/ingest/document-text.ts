import type { Block } from "./parse";

/** The extracted text as a person reads it: headings where their sections start. */
export function documentText(blocks: Block[]): string {
  const lines: string[] = [];
  let previous: string[] = [];
  for (const block of blocks) {
    const shared = previous.findIndex((heading, i) => block.headings[i] !== heading);
    const from = shared === -1 ? previous.length : shared;
    block.headings.slice(from).forEach((heading, i) => lines.push(`${"#".repeat(from + i + 1)} ${heading}`));
    previous = block.headings;
    lines.push(block.text);
  }
  return lines.join("\n\n");
}
