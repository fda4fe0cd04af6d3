#!/bin/sh
# Runs once, on a fresh data volume, as the image's superuser (POSTGRES_USER). The product never
# connects as that superuser: it gets an ordinary role that owns its database (and so the schema
# its migrations create), so the append-only trigger on step_events cannot be bypassed with the
# app's credentials (no SET session_replication_role, no superuser).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE ${APP_DB_USER} LOGIN PASSWORD '${APP_DB_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE ${APP_DB_NAME} OWNER ${APP_DB_USER};
SQL
