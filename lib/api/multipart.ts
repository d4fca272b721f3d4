import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import busboy from "busboy";
import { InputError } from "../errors";

export interface UploadedFile {
  filename: string;
  bytes: Uint8Array;
  /** Set when the file went over the per-file limit; its bytes were not kept. */
  tooLarge: boolean;
}

export interface MultipartBody {
  files: UploadedFile[];
  fields: Record<string, string>;
}

/**
 * Streams a multipart upload with busboy, holding each file to the size limit
 * as it arrives: an oversized file is marked and dropped, never buffered, and
 * the rest of the request still reads, so the client gets its answer instead
 * of a hang.
 */
export async function readMultipart(
  request: Request,
  limits: { fileBytes: number; files: number },
): Promise<MultipartBody> {
  if (!request.body) throw new InputError("empty_body", "The upload has no body: attach one or more files.", 400);
  const headers = Object.fromEntries(request.headers);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers, limits: { fileSize: limits.fileBytes, files: limits.files, fields: 20 } });
  } catch (error) {
    throw new InputError("invalid_multipart", `The upload is not valid multipart/form-data: ${(error as Error).message}.`, 400);
  }

  return new Promise<MultipartBody>((resolve, reject) => {
    const files: UploadedFile[] = [];
    const fields: Record<string, string> = {};
    let tooManyFiles = false;
    parser.on("file", (_field, stream, info) => {
      const parts: Buffer[] = [];
      const file: UploadedFile = { filename: info.filename || "upload", bytes: new Uint8Array(), tooLarge: false };
      stream.on("data", (part: Buffer) => {
        if (!file.tooLarge) parts.push(part);
      });
      stream.on("limit", () => {
        file.tooLarge = true;
        parts.length = 0;
      });
      stream.on("end", () => {
        if (!file.tooLarge) file.bytes = new Uint8Array(Buffer.concat(parts));
        files.push(file);
      });
    });
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("filesLimit", () => {
      tooManyFiles = true;
    });
    parser.on("error", (error: Error) =>
      reject(new InputError("invalid_multipart", `The upload could not be read: ${error.message}.`, 400)),
    );
    parser.on("close", () => {
      if (tooManyFiles) {
        reject(new InputError("too_many_files", `Upload at most ${limits.files} files at once (MAX_UPLOAD_FILES).`, 413));
      } else {
        resolve({ files, fields });
      }
    });
    Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>).pipe(parser);
  });
}
