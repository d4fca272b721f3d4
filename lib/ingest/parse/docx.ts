import JSZip from "jszip";
import { DOMParser } from "linkedom";
import mammoth from "mammoth";
import { InputError } from "../../errors";
import { normalizeText } from "../normalize";
import { parseHtml } from "./html";
import { refuseInflatingPast } from "./detect";
import type { ParsedDocument } from "./types";

/**
 * Word's styles for code, mapped to <pre> so a listing stays a code block
 * with its lines ("Source Code" is pandoc's, "HTML Preformatted" Word's own).
 */
const CODE_STYLES = ["Source Code", "HTML Preformatted", "Code", "Code Block", "Plain Text", "Macro Text"];

/**
 * DOCX through mammoth, which maps Word's heading styles to h1–h6, lists to
 * lists and tables to tables, then the HTML reader. A Word document has no
 * page around it, so nothing is dropped as boilerplate. Its title is the one
 * in its core properties (File › Properties), when set.
 */
export async function parseDocx(bytes: Uint8Array, filename: string): Promise<ParsedDocument> {
  await refuseInflatingPast(bytes, filename);
  let html: string;
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
    ({ value: html } = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      { styleMap: CODE_STYLES.map((style) => `p[style-name='${style}'] => pre:separator('\\n')`) },
    ));
  } catch (error) {
    throw new InputError("invalid_file", `${filename} could not be read as a Word document: ${(error as Error).message}.`, 422);
  }
  const parsed = parseHtml(html, { mainContentOnly: false });
  return { ...parsed, title: (await coreTitle(zip)) ?? parsed.title };
}

/** dc:title of docProps/core.xml: tiny, and its size was checked with the rest of the archive at upload. */
async function coreTitle(zip: JSZip): Promise<string | undefined> {
  const core = await zip.file("docProps/core.xml")?.async("string");
  if (!core) return undefined;
  const xml = new DOMParser().parseFromString(core, "text/xml");
  return normalizeText(xml.getElementsByTagName("dc:title")[0]?.textContent ?? "") || undefined;
}
