import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector as pgliteVector } from "@electric-sql/pglite-pgvector";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { connectionError, migrationError } from "./errors";
import { lockDataDir } from "./pglite-lock";
import { replicaReader } from "./replicas";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseEngine = "postgres" | "pglite";

export interface DatabaseHandle {
  db: Database;
  /** Where a search or a document read goes: a current replica, or `db` (see lib/db/replicas.ts). */
  reader(): Promise<Database>;
  engine: DatabaseEngine;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL selects a PostgreSQL server; without it, embedded PGlite. */
  url?: string;
  /** Streaming replicas of that server, for searches and document reads. */
  readUrls?: string[];
  /** PGlite data directory, or "memory://" for a throwaway in-memory database. */
  pgliteDir: string;
  migrationsDir: string;
}

const drizzleOptions = { schema, casing: "snake_case" } as const;

/** Any lock id will do as long as every pgrag instance uses the same one. */
const MIGRATION_LOCK_ID = 7_214_202_611;

/** Longer than any healthy connection takes, short enough that a request fails instead of hanging. */
export const CONNECT_TIMEOUT_MS = 10_000;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.migrationsDir, options.readUrls ?? []) : openPglite(options);
}

/** A replica that does not connect this soon is passed over for the primary. */
const REPLICA_CONNECT_TIMEOUT_MS = 2_000;

function openPool(url: string, connectTimeoutMs: number): pg.Pool {
  // node-postgres waits forever for a connection by default: a server that
  // accepts the socket and never answers (half-way through a restart, behind a
  // firewall that drops packets) would hold every request and worker with it.
  // node-postgres closes a connection idle for 10 s, and the next search opened
  // a new one and warmed a cold backend: a hybrid search (10k chunks) took
  // 6–10 ms after a 1 s pause and 16–26 ms after 12 s, which is how people
  // search. Two stay open, for a hybrid search's two queries at once.
  const pool = new pg.Pool({ connectionString: url, max: 10, min: 2, connectionTimeoutMillis: connectTimeoutMs });
  // A connection that loses its server (a restart) must not crash the process:
  // node-postgres also emits the loss as an event, which without a listener is
  // an uncaught exception. The query under way still rejects, and the pool
  // opens a fresh connection for the next one.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

async function openPostgres(url: string, migrationsFolder: string, readUrls: string[]): Promise<DatabaseHandle> {
  const pool = openPool(url, CONNECT_TIMEOUT_MS);
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw connectionError(error);
  });
  try {
    // Several app instances may start together against one database: only one migrates.
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg(client, drizzleOptions), { migrationsFolder });
  } catch (error) {
    client.release();
    await pool.end();
    throw migrationError(error);
  }
  await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
  client.release();
  const db = drizzleOverPool(pool);
  const replicaPools = readUrls.map((readUrl) => openPool(readUrl, REPLICA_CONNECT_TIMEOUT_MS));
  return {
    db,
    reader: replicaReader(db, replicaPools.map(drizzleOverPool)),
    engine: "postgres",
    close: async () => {
      await Promise.all([pool, ...replicaPools].map((p) => p.end()));
    },
  };
}

/**
 * drizzle over a pool, with transactions that always give their connection
 * back. drizzle-orm's node-postgres transaction() sends BEGIN before the try
 * whose finally releases the client (drizzle-team/drizzle-orm#6241, open): a
 * BEGIN on a connection the server had just closed (a restart) kept its
 * client checked out for good, each one a connection fewer until requests
 * waited for none, and a CI run's pool.end() waited forever on one. Here a
 * transaction checks its client out itself and runs drizzle's transaction on
 * that client alone, so the release is ours; pg-pool drops a released client
 * whose connection is gone.
 */
function drizzleOverPool(pool: pg.Pool): Database {
  const db = drizzlePg(pool, drizzleOptions);
  const onClient = new WeakMap<pg.PoolClient, ReturnType<typeof drizzlePg<typeof schema, pg.PoolClient>>>();
  db.transaction = async (run, config) => {
    const client = await pool.connect();
    try {
      let clientDb = onClient.get(client);
      if (!clientDb) onClient.set(client, (clientDb = drizzlePg(client, drizzleOptions)));
      return await clientDb.transaction(run, config);
    } finally {
      client.release();
    }
  };
  return db as unknown as Database;
}

/**
 * Set inside background work, so PGlite can tell its statements from a
 * request's. One per process on globalThis, like the database handle itself
 * (lib/context.ts): each route is bundled with its own copy of this module, and
 * uploads marked their file's storing in the upload route's copy, which the
 * database (opened by another) never saw, so it ran as a request, all parts
 * at once, and held a health check 0.6 s.
 */
const holder = globalThis as typeof globalThis & { __pgragInBackground?: AsyncLocalStorage<true> };
const inBackground = (holder.__pgragInBackground ??= new AsyncLocalStorage<true>());

/**
 * Marks work done in the background (imports, re-embedding, re-reading), for
 * PGlite to take turns with requests while it runs and to let requests go
 * first (see TurnTakingPGlite).
 */
export function asBackgroundWork<T>(work: () => Promise<T>): Promise<T> {
  return inBackground.run(true, work);
}

/**
 * Longest a background statement or transaction waits for requests to be
 * served before it queues anyway: a steady stream of searches slows an import
 * down, never stops it.
 */
const BACKGROUND_PATIENCE_MS = 250;

/**
 * PGlite runs each statement synchronously on this thread and settles its
 * promise at once, so a chain of awaited statements (a whole ingestion
 * transaction, three documents at a time) never gives the event loop back:
 * bench:ingest measured requests waiting 150–200 ms (p99) behind an import.
 * Each of background work's protocol messages waits for the event loop's next
 * turn first, which brought that to 16 ms. A request's do not: a query is six
 * messages, each turn under load takes milliseconds, and twenty statements
 * waited out 154 turns (tests/integration/pglite-turns.test.ts). A request's
 * own statements hold the thread only as long as that request needs.
 *
 * PGlite also serves statements and transactions one at a time, in the order
 * they ask. A request's half-dozen statements each queued behind the
 * import's transactions (three documents at once), so a health check took
 * 0.8 s during a large import; background work now waits while requests are
 * being served, up to BACKGROUND_PATIENCE_MS.
 */
class TurnTakingPGlite extends PGlite {
  /** Requests' statements and transactions waiting for the database or holding it. */
  #requests = 0;
  #backgroundWaiting = new Set<() => void>();

  override async execProtocolStream(...args: Parameters<PGlite["execProtocolStream"]>) {
    if (inBackground.getStore()) await new Promise((resolve) => setImmediate(resolve));
    return super.execProtocolStream(...args);
  }

  override async _runExclusiveTransaction<T>(exclusive: () => Promise<T>): Promise<T> {
    if (inBackground.getStore()) {
      if (this.#requests > 0) await this.#requestsServed();
      return super._runExclusiveTransaction(exclusive);
    }
    this.#requests++;
    try {
      return await super._runExclusiveTransaction(exclusive);
    } finally {
      this.#requests--;
      // A turn later: a request's next statement follows its last one at once,
      // and goes first.
      if (this.#requests === 0) setImmediate(() => this.#requests === 0 && this.#backgroundWaiting.forEach((wake) => wake()));
    }
  }

  #requestsServed() {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#backgroundWaiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, BACKGROUND_PATIENCE_MS);
      this.#backgroundWaiting.add(wake);
    });
  }
}

const BYTEA = 17;
/**
 * PGlite's own bytea conversion maps every byte through a JavaScript string
 * (9 s for a 9 MB file on this thread). Bytes handed over as they are go to
 * PostgreSQL as a binary parameter, copied once; as hex they were a string
 * twice the file's size, measured character by character twice, encoded and
 * parsed again (about 20 ms of this thread per 256 KB part).
 */
// Typed as returning text, but PGlite's Bind message (pg-protocol's serializer) sends any ArrayBuffer view as binary.
const byteaAsBinary = ((bytes: Uint8Array) => bytes) as unknown as (bytes: Uint8Array) => string;
/** Results come back as text, and Buffer's native hex decodes them in milliseconds. */
const byteaFromHex = (text: string) => Buffer.from(text.slice(2), "hex");

async function openPglite(options: DatabaseOptions): Promise<DatabaseHandle> {
  const inMemory = options.pgliteDir.startsWith("memory://");
  const dataDir = inMemory ? options.pgliteDir : resolve(options.pgliteDir);
  const releaseLock = inMemory ? () => {} : lockDataDir(dataDir);
  try {
    const client = new TurnTakingPGlite(dataDir, { extensions: { vector: pgliteVector }, serializers: { [BYTEA]: byteaAsBinary }, parsers: { [BYTEA]: byteaFromHex } });
    await client.waitReady;
    const db = drizzlePglite(client, drizzleOptions);
    try {
      await migratePglite(db, { migrationsFolder: options.migrationsDir });
    } catch (error) {
      await client.close();
      throw migrationError(error);
    }
    return {
      db: db as unknown as Database,
      reader: async () => db as unknown as Database,
      engine: "pglite",
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Raw SQL rows: both drivers answer `{ rows }`, which Drizzle's shared type hides. */
export async function queryRows<Row>(db: Pick<Database, "execute">, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

export async function databaseVersions(db: Database) {
  const [row] = await queryRows<{ server: string; pgvector: string | null }>(db, sql`
    select current_setting('server_version') as server,
           (select extversion from pg_extension where extname = 'vector') as pgvector`);
  return { server: row!.server, pgvector: row!.pgvector };
}
