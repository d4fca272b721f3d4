/**
 * queued → parsing → embedding → ready, or failed with the reason in `error`.
 * The database, the API and the browser all read this one list.
 */
export const documentStatuses = ["queued", "parsing", "embedding", "ready", "failed"] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
