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
