export type EmbedderErrorCode =
  | "embedder_unavailable"
  | "embedder_model_not_found"
  | "embedder_unauthorized"
  | "embedder_bad_response";

/** A failure of the embedding service, phrased for the person who configures it. */
export class EmbedderError extends Error {
  override name = "EmbedderError";
  constructor(
    readonly code: EmbedderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
