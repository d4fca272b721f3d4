export interface TaskPrefixes {
  query: string;
  document: string;
}

/**
 * Models trained with task prefixes lose much of their quality without them;
 * these are the prefixes their model cards prescribe.
 */
export function taskPrefixesFor(model: string): TaskPrefixes {
  const name = model.toLowerCase();
  if (name.includes("nomic-embed")) return { query: "search_query: ", document: "search_document: " };
  if (/(^|[^a-z])e5([^a-z]|$)/.test(name)) return { query: "query: ", document: "passage: " };
  if (name.includes("bge-") && name.includes("en")) {
    return { query: "Represent this sentence for searching relevant passages: ", document: "" };
  }
  if (name.includes("mxbai-embed")) {
    return { query: "Represent this sentence for searching relevant passages: ", document: "" };
  }
  return { query: "", document: "" };
}
