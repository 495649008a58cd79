/**
 * The real PostgreSQL adapters: {@link io.ferry.activities.postgres.PostgresJdbc} (the JDBC driver,
 * with {@code COPY FROM STDIN} through its CopyManager), and pg_dump and pgbench run on a host over
 * SSH ({@link io.ferry.activities.postgres.PgDumpOverSsh}, {@link
 * io.ferry.activities.postgres.PgbenchOverSsh}).
 */
package io.ferry.activities.postgres;
