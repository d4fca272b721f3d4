#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster (with pgvector) on a free local port,
# as the postgres user since PostgreSQL refuses to run as root.
# A streaming replica of it (pg_basebackup + a hot standby) runs beside it.
# Usage: source .ci/postgres.sh  → exports TEST_DATABASE_URL, TEST_DATABASE_READ_URL and PGRAG_PG_DIR;
#        stop_test_postgres       → stops it and removes its files.
# For benchmarks: PGRAG_PG_SHARED_BUFFERS (default 1GB; a million chunks' HNSW
# index wants 4GB) and PGRAG_PG_REPLICA=0 (no standby replaying every write).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PGRAG_PG_DIR=$(mktemp -d /tmp/pgrag-pg.XXXXXX)
chown postgres:postgres "$PGRAG_PG_DIR"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PGRAG_PG_PORT=$(free_port)
PGRAG_PG_REPLICA_PORT=$(free_port)

run_as_postgres() { su postgres -s /bin/bash -c "$*"; }

run_as_postgres "$PG_BIN/initdb -D '$PGRAG_PG_DIR/data' -U postgres --auth=trust -E UTF8 >/dev/null"
run_as_postgres "$PG_BIN/pg_ctl -D '$PGRAG_PG_DIR/data' -l '$PGRAG_PG_DIR/log' -w \
  -o \"-p $PGRAG_PG_PORT -k '$PGRAG_PG_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=${PGRAG_PG_SHARED_BUFFERS:-1GB}\" start >/dev/null"

if [ "${PGRAG_PG_REPLICA:-1}" != 0 ]; then
  # initdb's trust authentication admits replication connections from 127.0.0.1.
  run_as_postgres "$PG_BIN/pg_basebackup -h 127.0.0.1 -p $PGRAG_PG_PORT -U postgres -D '$PGRAG_PG_DIR/replica' -R -X stream -c fast"
  run_as_postgres "$PG_BIN/pg_ctl -D '$PGRAG_PG_DIR/replica' -l '$PGRAG_PG_DIR/replica.log' -w \
    -o \"-p $PGRAG_PG_REPLICA_PORT -k '$PGRAG_PG_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=1GB\" start >/dev/null"
  export TEST_DATABASE_READ_URL="postgres://postgres@127.0.0.1:$PGRAG_PG_REPLICA_PORT/postgres"
fi

export PGRAG_PG_DIR
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PGRAG_PG_PORT/postgres"

stop_test_postgres() {
  su postgres -s /bin/bash -c "$PG_BIN/pg_ctl -D '$PGRAG_PG_DIR/replica' -m fast -w stop >/dev/null" || true
  su postgres -s /bin/bash -c "$PG_BIN/pg_ctl -D '$PGRAG_PG_DIR/data' -m fast -w stop >/dev/null" || true
  rm -rf "$PGRAG_PG_DIR"
}
