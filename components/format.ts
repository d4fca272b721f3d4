/** Display helpers shared by the document views. */

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export const formatLabels: Record<string, string> = {
  text: "Text",
  markdown: "Markdown",
  html: "HTML",
  pdf: "PDF",
  docx: "Word",
  csv: "CSV",
  json: "JSON",
};

export { describeLocation } from "@/lib/documents/location";
