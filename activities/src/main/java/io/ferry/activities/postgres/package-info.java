/**
 * The real PostgreSQL adapters: {@link io.ferry.activities.postgres.PostgresJdbc} (the JDBC driver,
 * with {@code COPY FROM STDIN} through its CopyManager) and {@link
 * io.ferry.activities.postgres.PgbenchOverSsh} (pgbench run on a host over SSH).
 */
package io.ferry.activities.postgres;
