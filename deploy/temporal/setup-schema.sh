#!/bin/sh
# Temporal schema setup for PostgreSQL, run once per `docker compose up` by the
# temporal-schema service (image temporalio/admin-tools, same version as temporalio/server).
#
# For each of the two databases: create it if missing, initialise the version tables
# (setup-schema -v 0.0) and apply every versioned schema step the image ships
# (update-schema). All three commands are idempotent, so re-running is safe and is also how
# the schema is upgraded after raising the Temporal version in docker-compose.yml.
#
# Environment: POSTGRES_SEEDS, POSTGRES_USER, DB_PORT, DBNAME, VISIBILITY_DBNAME, and
# SQL_PASSWORD (read by temporal-sql-tool itself).
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS must name the PostgreSQL host}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${SQL_PASSWORD:?SQL_PASSWORD must be set}"
PORT="${DB_PORT:-5432}"
SCHEMA_ROOT="${SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"
ATTEMPTS="${SETUP_ATTEMPTS:-20}"

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" "$@"
}

# setup DATABASE SCHEMA_SUBDIR
setup() {
  db="$1"
  dir="$SCHEMA_ROOT/$2/versioned"
  if [ ! -d "$dir" ]; then
    echo "schema directory $dir is missing from this admin-tools image" >&2
    exit 1
  fi
  echo "== $db: create database"
  # PostgreSQL is healthy before this service starts; retry anyway in case it restarts.
  n=1
  until sql --db "$db" create; do
    if [ "$n" -ge "$ATTEMPTS" ]; then
      echo "could not create database $db after $n attempts" >&2
      exit 1
    fi
    n=$((n + 1))
    sleep 3
  done
  echo "== $db: setup-schema"
  sql --db "$db" setup-schema -v 0.0
  echo "== $db: update-schema from $dir"
  sql --db "$db" update-schema -d "$dir"
}

setup "${DBNAME:-temporal}" temporal
setup "${VISIBILITY_DBNAME:-temporal_visibility}" visibility
echo "Temporal schema is up to date."
