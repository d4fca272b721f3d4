import { customType } from "drizzle-orm/pg-core";
import { fromSql, toSql } from "pgvector";

/**
 * pgvector's `vector` column, serialized by the pgvector package. Without a
 * dimension the column holds vectors of any length, which lets one table keep
 * embeddings from several models; each model's HNSW index casts to its own size.
 */
export const vector = customType<{
  data: number[];
  driverData: string;
  config: { dimensions?: number };
}>({
  dataType(config) {
    return config?.dimensions ? `vector(${config.dimensions})` : "vector";
  },
  toDriver(value) {
    return toSql(value);
  },
  fromDriver(value) {
    return fromSql(value);
  },
});

/** PostgreSQL bytea as a Buffer; both drivers hand bytea back as bytes. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return "bytea";
  },
  fromDriver(value) {
    return Buffer.from(value);
  },
});

/** PostgreSQL full-text `tsvector`; written with to_tsvector in SQL, never built in JavaScript. */
export const tsvector = customType<{ data: string; driverData: string }>({
  dataType() {
    return "tsvector";
  },
});
