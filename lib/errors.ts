/** Something the caller sent that pgrag cannot accept; the message says what to change. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 415 | 422 = 422,
  ) {
    super(message);
  }
}

/** A size limit as people say it: "50 MB", "256 KB". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
