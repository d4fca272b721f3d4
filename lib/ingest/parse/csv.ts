import Papa from "papaparse";
import { InputError } from "../../errors";
import { normalizeText } from "../normalize";
import { BlockBuilder } from "./builder";
import type { ParsedDocument } from "./types";

/**
 * CSV through papaparse (quoted fields, embedded newlines, delimiters other
 * than commas): one table, each row a block reading "column: value; …", so a
 * chunk of rows still says which value belongs to which column.
 */
export function parseCsv(source: string, filename: string): ParsedDocument {
  const result = Papa.parse<string[]>(source.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = result.data;
  if (!header || rows.length === 0) {
    throw new InputError("empty_content", `${filename} has no data rows under its header.`, 422);
  }
  const columns = header.map((name, i) => normalizeText(name) || `column ${i + 1}`);
  const builder = new BlockBuilder();
  const table = builder.newTable();
  builder.add({ kind: "table-row", text: columns.join(" | "), cells: columns, table, header: true });
  rows.forEach((row, index) => {
    const cells = row.map((value) => normalizeText(value));
    const text = cells
      .map((value, i) => [columns[i] ?? `column ${i + 1}`, value] as const)
      .filter(([, value]) => value !== "")
      .map(([column, value]) => `${column}: ${value}`)
      .join("; ");
    builder.add({ kind: "table-row", text, cells, table, header: false, row: index + 1 });
  });
  return { blocks: builder.blocks };
}
