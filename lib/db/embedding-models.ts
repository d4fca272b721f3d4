import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { InputError } from "../errors";
import { queryRows, type Database } from "./client";
import { hasErrorCode } from "./errors";
import { embeddingModels, vectorIndexTypes, type EmbeddingModel, type EmbeddingModelSettings, type VectorIndexType } from "./schema";

export interface EmbeddingModelSpec {
  provider: string;
  name: string;
  dimensions: number;
  settings?: EmbeddingModelSettings;
  /** What its index should store (VECTOR_INDEX_TYPE); left out, the model keeps what it has. */
  indexType?: VectorIndexType;
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
  await db
    .insert(embeddingModels)
    .values({ ...spec, indexType: storableIndexType(spec, spec.indexType ?? "vector") })
    .onConflictDoNothing();
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
  const wanted = (spec.indexType && storableIndexType(model, spec.indexType)) || model.indexType;
  const current = wanted === model.indexType && (await builtWithCurrentGraph(db, model));
  return current ? model : rebuildVectorIndex(db, model, wanted);
}

/**
 * The graph every HNSW index is built with. pgvector's default ef_construction
 * (64) links each vector to neighbours found by a shallow search; at 128 a
 * search with ef_search 40 finds more of the true top 10 (recall 0.965 at 100k
 * chunks on PostgreSQL) than one with 64 does on the default graph (0.950), in
 * less time, for about three times the build time (127 s instead of 45 s).
 * An index built otherwise (before this setting) is rebuilt at the next start.
 */
export const HNSW_GRAPH = { m: 16, efConstruction: 128 } as const;

async function builtWithCurrentGraph(db: Database, model: EmbeddingModel): Promise<boolean> {
  const [index] = await queryRows<{ options: string[] | null }>(
    db,
    sql`select reloptions as options from pg_class where relname = ${hnswIndexName(model)} and relkind = 'i'`,
  );
  const options = new Set(index?.options ?? []);
  return options.has(`m=${HNSW_GRAPH.m}`) && options.has(`ef_construction=${HNSW_GRAPH.efConstruction}`);
}

/** pgvector indexes `vector` up to 2,000 dimensions; larger models are indexed
 * as half-precision `halfvec`, which goes up to 4,000. */
const MAX_INDEXED_VECTOR_DIMENSIONS = 2000;

function storableIndexType(model: Pick<EmbeddingModel, "dimensions">, wanted: VectorIndexType): VectorIndexType {
  return model.dimensions > MAX_INDEXED_VECTOR_DIMENSIONS ? "halfvec" : wanted;
}

/**
 * Rebuilds a model's index, to store another type or with the current graph
 * settings. The new index is built beside the old one, which serves searches
 * meanwhile (a million 384-d vectors take minutes), and takes its place in one
 * transaction with the model's row, so every search casts to the type of the
 * index that exists.
 */
export async function rebuildVectorIndex(db: Database, model: EmbeddingModel, indexType: VectorIndexType): Promise<EmbeddingModel> {
  const changed = { ...model, indexType };
  const name = hnswIndexName(model);
  await db.execute(sql.raw(`drop index if exists ${name}_next`));
  await db.execute(sql.raw(createIndexStatement(changed, `${name}_next`)));
  await db.transaction(async (tx) => {
    await tx.update(embeddingModels).set({ indexType }).where(eq(embeddingModels.id, model.id));
    await tx.execute(sql.raw(`drop index if exists ${name}`));
    await tx.execute(sql.raw(`alter index ${name}_next rename to ${name}`));
  });
  return changed;
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

/**
 * The SQL type a model's vectors are cast to, in its index and in every query
 * that should use that index. Only integers and the enumeration's own names
 * reach this SQL, so inlining is safe, and it must be inlined for the planner
 * to match the partial index.
 */
export function indexedVectorType(model: Pick<EmbeddingModel, "dimensions" | "indexType">): string {
  return `${knownIndexType(model)}(${Math.trunc(model.dimensions)})`;
}

function knownIndexType(model: Pick<EmbeddingModel, "indexType">): VectorIndexType {
  return vectorIndexTypes.find((known) => known === model.indexType) ?? "vector";
}

/** What an index over a model's vectors is built on: the cast column and its cosine operator class. */
export function vectorIndexKey(model: Pick<EmbeddingModel, "dimensions" | "indexType">): string {
  return `(embedding::${indexedVectorType(model)}) ${knownIndexType(model)}_cosine_ops`;
}

function createIndexStatement(model: EmbeddingModel, name = hnswIndexName(model)): string {
  return `create index if not exists ${name} on chunk_embeddings
    using hnsw (${vectorIndexKey(model)}) with (m = ${HNSW_GRAPH.m}, ef_construction = ${HNSW_GRAPH.efConstruction})
    where model_id = ${Math.trunc(model.id)}`;
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
