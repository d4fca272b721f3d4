import { InputError } from "../errors";
import { chunkBlocks, type TextChunk } from "./chunk";
import { documentText } from "./document-text";
import { parseAs, type Format } from "./parse";
import { documentTitle, type TitleSource } from "./title";
import { countTokens } from "./tokens";

/** A document read and cut into chunks, ready to embed and store. */
export interface ReadDocument {
  content: string;
  title: string;
  pieces: TextChunk[];
}

export interface ReadOptions {
  chunking: { size: number; overlap: number };
  /** Tokens the embedder reads of one input, beyond what it reserves for itself. */
  inputTokens: number;
}

/**
 * parse → chunk: everything about a document that needs neither the model nor
 * the database. Plain and synchronous in spirit (parsers may await), so it can
 * run in a worker thread (lib/ingest/reader.ts) as well as here.
 */
export async function readDocument(options: ReadOptions, document: TitleSource & { format: string }, bytes: Uint8Array): Promise<ReadDocument> {
  const filename = document.filename ?? "The text";
  const parsed = await parseAs(document.format as Format, bytes, filename);
  const pieces = chunkBlocks(parsed.blocks, {
    maxTokens: options.chunking.size,
    overlapTokens: options.chunking.overlap,
    inputTokens: options.inputTokens,
    countTokens,
  });
  if (pieces.length === 0) throw new InputError("empty_content", `${filename} contains no text.`, 422);
  const content = documentText(parsed.blocks);
  return { content, title: documentTitle(document, parsed.title, content), pieces };
}
