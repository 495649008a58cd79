package io.ferry.activities.port;

import io.ferry.plan.SshTarget;

/** A PostgreSQL standby on a host: made from the primary by a base backup, started, removed. */
public interface StandbyPort {

  /**
   * Where the standby lives and whom it follows.
   *
   * @param primaryHost the primary as the standby reaches it
   * @param applicationName the name the primary shows it under
   */
  record StandbySpec(
      String binDir,
      String dataDir,
      int port,
      String osUser,
      String primaryHost,
      int primaryPort,
      String user,
      String slot,
      String applicationName) {}

  /** Whether the data directory holds a cluster and whether it runs. */
  record StandbyState(boolean hasCluster, boolean running) {}

  StandbyState state(SshTarget host, StandbySpec spec);

  /**
   * {@code pg_basebackup -R -S SLOT -X stream} into the empty data directory ({@code password} on
   * stdin, never on a command line), then {@code pg_ctl start}. A non-empty directory is refused.
   */
  void bootstrap(SshTarget host, StandbySpec spec, String password);

  /** Starts a standby whose data directory holds a cluster. */
  void start(SshTarget host, StandbySpec spec);

  /** {@code pg_ctl stop -m fast} when it runs, then removes the data directory. */
  void remove(SshTarget host, StandbySpec spec);
}
