import Papa from "papaparse";
import { InputError } from "../../errors";
import { normalizeText } from "../normalize";
import type { ParsedDocument } from "./types";

/**
 * CSV through papaparse (quoted fields, embedded newlines, delimiters other
 * than commas): each row becomes one "column: value; …" block, so a chunk of
 * rows still says which value belongs to which column.
 */
export function parseCsv(source: string, filename: string): ParsedDocument {
  const result = Papa.parse<string[]>(source.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = result.data;
  if (!header || rows.length === 0) {
    throw new InputError("empty_content", `${filename} has no data rows under its header.`, 422);
  }
  const columns = header.map((name, i) => normalizeText(name) || `column ${i + 1}`);
  const blocks = rows.map((row, index) => ({
    text: row
      .map((value, i) => [columns[i] ?? `column ${i + 1}`, normalizeText(value)] as const)
      .filter(([, value]) => value !== "")
      .map(([column, value]) => `${column}: ${value}`)
      .join("; "),
    headings: [],
    row: index + 1,
  }));
  return { blocks: blocks.filter((b) => b.text !== "") };
}
