import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { InputError } from "../errors";
import { queryRows, type Database } from "./client";
import { hasErrorCode } from "./errors";
import { DEFAULT_HNSW_GRAPH, type HnswGraph } from "./hnsw-graph";
import { embeddingModels, vectorIndexTypes, type EmbeddingModel, type EmbeddingModelSettings, type VectorIndexType } from "./schema";

export interface EmbeddingModelSpec {
  provider: string;
  name: string;
  dimensions: number;
  settings?: EmbeddingModelSettings;
  /** What its index should store (VECTOR_INDEX_TYPE); left out, the model keeps what it has. */
  indexType?: VectorIndexType;
  /** The graph its index should have (HNSW_M, HNSW_EF_CONSTRUCTION); left out, the default. */
  graph?: HnswGraph;
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
  const graph = spec.graph ?? DEFAULT_HNSW_GRAPH;
  await db.execute(sql.raw(createIndexStatement(model, graph)));
  const wanted = (spec.indexType && storableIndexType(model, spec.indexType)) || model.indexType;
  const current = wanted === model.indexType && (await builtWithGraph(db, model, graph));
  return current ? model : rebuildVectorIndex(db, model, wanted, graph);
}

async function builtWithGraph(db: Database, model: EmbeddingModel, graph: HnswGraph): Promise<boolean> {
  const [index] = await queryRows<{ options: string[] | null }>(
    db,
    sql`select reloptions as options from pg_class where relname = ${hnswIndexName(model)} and relkind = 'i'`,
  );
  const options = new Set(index?.options ?? []);
  return options.has(`m=${Math.trunc(graph.m)}`) && options.has(`ef_construction=${Math.trunc(graph.efConstruction)}`);
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
export async function rebuildVectorIndex(
  db: Database,
  model: EmbeddingModel,
  indexType: VectorIndexType,
  graph: HnswGraph = DEFAULT_HNSW_GRAPH,
): Promise<EmbeddingModel> {
  const changed = { ...model, indexType };
  const name = hnswIndexName(model);
  await db.execute(sql.raw(`drop index if exists ${name}_next`));
  await db.execute(sql.raw(createIndexStatement(changed, graph, `${name}_next`)));
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

function createIndexStatement(model: EmbeddingModel, graph: HnswGraph, name = hnswIndexName(model)): string {
  return `create index if not exists ${name} on chunk_embeddings
    using hnsw (${vectorIndexKey(model)}) with (m = ${Math.trunc(graph.m)}, ef_construction = ${Math.trunc(graph.efConstruction)})
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
export async function withoutVectorIndex<T>(
  db: Database,
  model: EmbeddingModel,
  load: () => Promise<T>,
  graph: HnswGraph = DEFAULT_HNSW_GRAPH,
): Promise<T> {
  await db.execute(sql.raw(`drop index if exists ${hnswIndexName(model)}`));
  const result = await load();
  await db.execute(sql.raw(createIndexStatement(model, graph)));
  return result;
}
