import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { InputError } from "../errors";
import type { Database } from "./client";
import { hasErrorCode } from "./errors";
import { embeddingModels, type EmbeddingModel, type EmbeddingModelSettings } from "./schema";

export interface EmbeddingModelSpec {
  provider: string;
  name: string;
  dimensions: number;
  settings?: EmbeddingModelSettings;
}

/**
 * Registers the model (once) and makes sure its HNSW index exists. Each model
 * gets a partial expression index over its own rows, cast to its own dimension,
 * so models of different sizes share one table and switching models needs no
 * schema change.
 */
export async function ensureEmbeddingModel(
  db: Database,
  spec: EmbeddingModelSpec,
): Promise<EmbeddingModel> {
  await db.insert(embeddingModels).values(spec).onConflictDoNothing();
  const [model] = await db
    .select()
    .from(embeddingModels)
    .where(
      and(
        eq(embeddingModels.provider, spec.provider),
        eq(embeddingModels.name, spec.name),
        eq(embeddingModels.dimensions, spec.dimensions),
      ),
    );
  if (!model) throw new Error(`embedding model ${spec.name} was not registered`);
  await db.execute(sql.raw(createIndexStatement(model)));
  return model;
}

/** The model search uses; the first model registered in an empty database becomes it. */
export async function activeEmbeddingModel(db: Database, fallback: EmbeddingModel): Promise<EmbeddingModel> {
  await db
    .execute(sql`
      update embedding_models set active = true
      where id = ${fallback.id} and not exists (select 1 from embedding_models where active)`)
    .catch((error: unknown) => {
      // Another instance activated a model at the same moment: theirs stands.
      if (!hasErrorCode(error, "23505")) throw error;
    });
  const [active] = await db.select().from(embeddingModels).where(eq(embeddingModels.active, true));
  return active ?? fallback;
}

export function hnswIndexName(model: Pick<EmbeddingModel, "id">): string {
  return `chunk_embeddings_hnsw_model_${model.id}`;
}

/** pgvector indexes `vector` up to 2,000 dimensions; larger models are indexed
 * as half-precision `halfvec`, which goes up to 4,000. */
const MAX_INDEXED_VECTOR_DIMENSIONS = 2000;

/**
 * The SQL type a model's vectors are cast to, in its index and in every query
 * that should use that index. Only integers reach this SQL, so inlining is safe,
 * and it must be inlined for the planner to match the partial index.
 */
export function indexedVectorType(model: Pick<EmbeddingModel, "dimensions">): string {
  const dims = Math.trunc(model.dimensions);
  return dims > MAX_INDEXED_VECTOR_DIMENSIONS ? `halfvec(${dims})` : `vector(${dims})`;
}

function createIndexStatement(model: EmbeddingModel): string {
  const type = indexedVectorType(model);
  const opclass = type.startsWith("halfvec") ? "halfvec_cosine_ops" : "vector_cosine_ops";
  return `create index if not exists ${hnswIndexName(model)} on chunk_embeddings
    using hnsw ((embedding::${type}) ${opclass}) where model_id = ${Math.trunc(model.id)}`;
}

/** Refuses a vector whose length is not its model's, before the database has to. */
export function assertVectorDimensions(
  vector: readonly number[],
  model: Pick<EmbeddingModel, "name" | "dimensions">,
): void {
  if (vector.length !== model.dimensions) {
    throw new InputError(
      "dimension_mismatch",
      `The vector has ${vector.length} dimensions, but the embedding model ${model.name} makes ${model.dimensions}-dimensional vectors.`,
      422,
    );
  }
  if (!vector.every(Number.isFinite)) {
    throw new InputError("invalid_vector", "The vector contains a value that is not a finite number.", 422);
  }
}

/**
 * Runs a bulk load with the model's HNSW index dropped, then builds the index
 * once: for many thousands of vectors that is far faster than growing the
 * graph row by row. Search falls back to exact scans meanwhile, so this is for
 * scratch databases (evaluations, benchmarks), not a live library.
 */
export async function withoutVectorIndex<T>(db: Database, model: EmbeddingModel, load: () => Promise<T>): Promise<T> {
  await db.execute(sql.raw(`drop index if exists ${hnswIndexName(model)}`));
  const result = await load();
  await db.execute(sql.raw(createIndexStatement(model)));
  return result;
}
