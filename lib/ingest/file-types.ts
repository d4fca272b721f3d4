import type { Format } from "./parse/types";

/**
 * Every kind of file pgrag reads, by extension: the one list behind the
 * server's detection, its refusal messages and the browser's file picker
 * (whose MIME types let phones offer the right files).
 */
export const fileTypes = [
  { extension: "txt", format: "text", mime: "text/plain" },
  { extension: "md", format: "markdown", mime: "text/markdown" },
  { extension: "markdown", format: "markdown", mime: "text/markdown" },
  { extension: "pdf", format: "pdf", mime: "application/pdf" },
  { extension: "docx", format: "docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
  { extension: "html", format: "html", mime: "text/html" },
  { extension: "htm", format: "html", mime: "text/html" },
  { extension: "csv", format: "csv", mime: "text/csv" },
  { extension: "json", format: "json", mime: "application/json" },
  { extension: "text", format: "text", mime: "text/plain" },
] as const satisfies readonly { extension: string; format: Format; mime: string }[];

export const formatLabels = {
  text: "Text",
  markdown: "Markdown",
  html: "HTML",
  pdf: "PDF",
  docx: "Word",
  csv: "CSV",
  json: "JSON",
} as const satisfies Record<Format, string>;

/** "report.PDF" → "pdf"; undefined when the name has no extension. */
export function extensionOf(filename: string): string | undefined {
  return filename.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
}

/** The format a file's name claims, if pgrag reads files of that name. */
export function formatNamedBy(filename: string): Format | undefined {
  const extension = extensionOf(filename);
  return fileTypes.find((type) => type.extension === extension)?.format;
}

/** Whether pgrag reads files of this name: one without an extension may still be text. */
export function namesReadableType(filename: string): boolean {
  return extensionOf(filename) === undefined || formatNamedBy(filename) !== undefined;
}

/** For `<input type="file" accept>`. */
export const fileInputAccept = [...new Set(fileTypes.flatMap((type) => [`.${type.extension}`, type.mime]))].join(",");

/** For a sentence: ".txt, .md, …". */
export const supportedFiles = fileTypes
  .filter((type) => type.extension !== "text")
  .map((type) => `.${type.extension}`)
  .join(", ");
