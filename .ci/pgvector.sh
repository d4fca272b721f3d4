#!/usr/bin/env bash
# Builds pgvector for the system PostgreSQL 15 from Debian's trixie source package.
# Bookworm ships no pgvector binary; a trixie *binary* line would upgrade system
# libraries, so only a deb-src line is added.
set -euo pipefail
if [ -f /usr/share/postgresql/15/extension/vector.control ]; then
  exit 0
fi
cat > /etc/apt/sources.list.d/trixie-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt-get update -qq
build=$(mktemp -d)
cd "$build"
apt-get source -qq pgvector
cd pgvector-*/
make -s PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config OPTFLAGS=""
make -s PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config install
rm -rf "$build"
