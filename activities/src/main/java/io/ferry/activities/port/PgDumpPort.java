package io.ferry.activities.port;

import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;

/** Dumps of a PostgreSQL database made by {@code pg_dump} on a host that can reach it. */
public interface PgDumpPort {

  /**
   * {@code pg_dump --format=custom} of the database into {@code path} on the host (temp + rename),
   * the password given through a 0600 PGPASSFILE removed after, never on a command line; {@code
   * sslmode} from the target. An existing complete dump at {@code path} is kept and reported.
   *
   * @return the dump's size and sha256 as the host computes them
   */
  WrittenFile pgDump(SshTarget host, PostgresTarget database, String password, String path);
}
