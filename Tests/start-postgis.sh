#!/usr/bin/env bash
# Starts the PostgreSQL + PostGIS server the database tests use (Tests/TestSupport/PostGISServer.swift):
# Debian's packages, listening on loopback only, a role `chiiki` (password `chiiki`) that may
# create databases, and PostGIS in template1 so that every database a test creates has it.
# Idempotent; run as root (CI) or with sudo. The tests skip, saying why, when no server answers.
set -euo pipefail
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
cd /tmp  # psql runs as postgres, who may not enter the work tree
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s postgresql >/dev/null 2>&1 || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq postgresql postgresql-postgis >/dev/null
fi
# The cluster Debian's postgresql package created (postgresql-common); loopback is its default.
read -r version cluster < <(pg_lsclusters --no-header | awk 'NR == 1 {print $1, $2}') || true
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  cluster=main
  $SUDO pg_createcluster "$version" "$cluster"
fi
conf=/etc/postgresql/$version/$cluster/postgresql.conf
grep -q "^listen_addresses = 'localhost'" "$conf" || echo "listen_addresses = 'localhost'" | $SUDO tee -a "$conf" >/dev/null
$SUDO pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true  # "already running" is fine
for _ in $(seq 30); do
  as_postgres psql -X -q -c 'SELECT 1' >/dev/null 2>&1 && break
  sleep 1
done
as_postgres psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chiiki') THEN
    CREATE ROLE chiiki LOGIN CREATEDB PASSWORD 'chiiki';
  END IF;
END $$;
\c template1
CREATE EXTENSION IF NOT EXISTS postgis;
SQL
echo "PostgreSQL $version/$cluster with PostGIS on 127.0.0.1:$(pg_lsclusters --no-header | awk 'NR == 1 {print $3}'), role chiiki"
