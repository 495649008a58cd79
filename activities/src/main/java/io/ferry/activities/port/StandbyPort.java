package io.ferry.activities.port;

import io.ferry.plan.SecretRef;
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

  /**
   * What the primary answered a replication connection from the standby's host.
   *
   * @param systemId the primary's system identifier ({@code IDENTIFY_SYSTEM}), null when refused
   * @param refusal what is missing (the REPLICATION privilege, the {@code pg_hba.conf} line to add,
   *     the password), null when accepted
   */
  record ReplicationLogin(String systemId, String refusal) {
    public boolean accepted() {
      return refusal == null;
    }
  }

  StandbyState state(SshTarget host, StandbySpec spec);

  /**
   * Opens a replication connection ({@code replication=true}, {@code IDENTIFY_SYSTEM}) to the
   * primary from the standby's host, as the base backup will; changes nothing. {@code password} is
   * a reference resolved inside the adapter, so no secret is among a port call's arguments.
   */
  ReplicationLogin checkReplicationLogin(SshTarget host, StandbySpec spec, SecretRef password);

  /**
   * {@code pg_basebackup -R -S SLOT -X stream} into the empty data directory ({@code password}
   * resolved here and sent on stdin, never on a command line), then {@code pg_ctl start}. A
   * non-empty directory is refused.
   */
  void bootstrap(SshTarget host, StandbySpec spec, SecretRef password);

  /** Starts a standby whose data directory holds a cluster. */
  void start(SshTarget host, StandbySpec spec);

  /** {@code pg_ctl stop -m fast} when it runs, then removes the data directory. */
  void remove(SshTarget host, StandbySpec spec);
}
