import mammoth from "mammoth";
import { InputError } from "../../errors";
import { parseHtml } from "./html";
import type { ParsedDocument } from "./types";

/** DOCX through mammoth, which maps Word's heading styles to h1–h6, then the HTML reader. */
export async function parseDocx(bytes: Uint8Array, filename: string): Promise<ParsedDocument> {
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
  } catch (error) {
    throw new InputError("invalid_file", `${filename} could not be read as a Word document: ${(error as Error).message}.`, 422);
  }
  return parseHtml(html);
}
