import { createInflateRaw } from "node:zlib";
import { InputError } from "../../errors";
import { extensionOf, formatNamedBy, supportedFiles } from "../file-types";
import type { Format } from "./types";

/** Magic numbers of common binary files, to name what was sent instead. */
const BINARY_SIGNATURES: [string, number[]][] = [
  ["a PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["a JPEG image", [0xff, 0xd8, 0xff]],
  ["a GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["a gzip archive", [0x1f, 0x8b]],
  ["an executable", [0x7f, 0x45, 0x4c, 0x46]],
  ["a legacy Office (.doc/.xls) file", [0xd0, 0xcf, 0x11, 0xe0]],
  ["a 7-Zip archive", [0x37, 0x7a, 0xbc, 0xaf]],
];

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

/**
 * Decides how to read a file from its bytes first and its name second: a PDF
 * renamed .txt is still read as a PDF, and a binary file renamed .txt is
 * refused instead of being stored as garbage.
 */
export function detectFormat(bytes: Uint8Array, filename: string): Format {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (containsAscii(bytes, "word/")) {
      refuseZipBomb(bytes, filename);
      return "docx";
    }
    throw unsupported(filename, "a ZIP archive that is not a Word document");
  }
  for (const [what, signature] of BINARY_SIGNATURES) {
    if (startsWith(bytes, signature)) throw unsupported(filename, what);
  }
  if (!isText(bytes)) throw unsupported(filename, "binary data, not text");

  // Only the bytes make a file a PDF or a Word document; text named .pdf is not one.
  const byName = formatNamedBy(filename);
  if (byName && byName !== "pdf" && byName !== "docx") return byName;
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return "html";
  if (extensionOf(filename) === undefined && (head.startsWith("{") || head.startsWith("["))) return "json";
  throw new InputError(
    "unsupported_type",
    `${filename} is not a supported file type. Upload ${supportedFiles}.`,
    415,
  );
}

/** The most a Word document may unpack to: far beyond any real one, far below what would exhaust memory. */
export const MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024;

interface ZipEntry {
  method: number;
  compressedSize: number;
  /** What the directory says the entry unpacks to, which may be a lie. */
  declaredSize: number;
  localHeader: number;
}

/**
 * A ZIP's central directory, entry by entry, read from the end-of-directory
 * record; it stops at the first entry it cannot read, leaving such a file to
 * the parser, which fails it with its own message.
 */
function* zipDirectory(bytes: Uint8Array): Generator<ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end === -1) return;
  const entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  for (let i = 0; i < entries && offset + 46 <= bytes.length; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) return;
    yield {
      method: view.getUint16(offset + 10, true),
      compressedSize: view.getUint32(offset + 20, true),
      declaredSize: view.getUint32(offset + 24, true),
      localHeader: view.getUint32(offset + 42, true),
    };
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
}

/**
 * Refuses a ZIP whose directory declares more than MAX_DOCX_UNPACKED_BYTES
 * (a zip bomb) before any of it is inflated.
 */
function refuseZipBomb(bytes: Uint8Array, filename: string): void {
  let unpacked = 0;
  for (const entry of zipDirectory(bytes)) {
    // 0xFFFFFFFF means the real size is in a ZIP64 field: at least 4 GB.
    unpacked += entry.declaredSize === 0xffffffff ? Number.MAX_SAFE_INTEGER : entry.declaredSize;
  }
  if (unpacked > MAX_DOCX_UNPACKED_BYTES) throw unpacksTooLarge(filename);
}

/**
 * Inflates every entry of a ZIP once, counting the bytes and discarding them,
 * and refuses the file once they pass MAX_DOCX_UNPACKED_BYTES: the sizes a
 * directory declares (all refuseZipBomb can see) may lie, and the parsers
 * inflate whatever the entries hold. Memory stays at one chunk at a time.
 * An entry that does not inflate is left to the parser, which fails the file
 * with its own message.
 */
export async function refuseInflatingPast(bytes: Uint8Array, filename: string, limit = MAX_DOCX_UNPACKED_BYTES): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let inflated = 0;
  for (const { method, compressedSize, localHeader } of zipDirectory(bytes)) {
    if (localHeader + 30 > bytes.length || view.getUint32(localHeader, true) !== 0x04034b50) return;
    const start = localHeader + 30 + view.getUint16(localHeader + 26, true) + view.getUint16(localHeader + 28, true);
    const data = bytes.subarray(start, Math.min(bytes.length, start + compressedSize));
    if (method === 0) inflated += data.length;
    else if (method === 8) inflated += await inflatedLength(data, limit - inflated);
    if (inflated > limit) throw unpacksTooLarge(filename);
  }
}

/** How many bytes deflated data inflates to, counting no further than just past `cap`; 0 when it does not inflate. */
function inflatedLength(data: Uint8Array, cap: number): Promise<number> {
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let length = 0;
    inflate.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > cap) {
        inflate.destroy();
        resolve(length);
      }
    });
    inflate.on("end", () => resolve(length));
    inflate.on("error", () => resolve(0));
    inflate.end(data);
  });
}

function unpacksTooLarge(filename: string): InputError {
  return new InputError(
    "unpacks_too_large",
    `${filename} unpacks to more than ${MAX_DOCX_UNPACKED_BYTES / 1024 / 1024} MB, far more than a Word document holds; it looks like a zip bomb and was not opened.`,
    413,
  );
}

function unsupported(filename: string, what: string): InputError {
  return new InputError(
    "unsupported_type",
    `${filename} looks like ${what}, which pgrag cannot read. Upload ${supportedFiles}.`,
    415,
  );
}

function containsAscii(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, "latin1");
}

/** Valid UTF-8 with no NUL bytes: what every text format here is. */
function isText(bytes: Uint8Array): boolean {
  if (bytes.subarray(0, 8192).includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
