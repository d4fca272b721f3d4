/** Display helpers shared by the document views. */

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export { formatLabels } from "@/lib/ingest/file-types";
export { describeLocation } from "@/lib/documents/location";
