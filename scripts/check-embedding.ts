/**
 * The demo's test_embedding.py: embeds one sentence with the configured embedder
 * and prints the vector's length, or one sentence saying what is wrong.
 */
import "./load-env";
import { getConfig } from "../lib/config";
import { createEmbedder } from "../lib/providers/embedding";

try {
  const embedder = createEmbedder(getConfig());
  const vector = await embedder.embedQuery("This is a test sentence for the embedding model.");
  console.log(`Embedding length: ${vector.length}`);
  console.log(`Model: ${embedder.provider}:${embedder.model}`);
  await embedder.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
