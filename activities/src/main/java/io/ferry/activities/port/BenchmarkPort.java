package io.ferry.activities.port;

import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import java.time.Duration;

/** Load tests run from a host: pgbench against a PostgreSQL database. */
public interface BenchmarkPort {

  /** Runs {@code pgbench -c clients -T seconds} on the host; returns transactions per second. */
  double pgbench(SshTarget host, PostgresTarget target, int clients, Duration duration);
}
