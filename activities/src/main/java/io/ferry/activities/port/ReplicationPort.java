package io.ferry.activities.port;

import io.ferry.plan.PostgresTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL streaming replication as the primary and its standbys report it: the primary's
 * settings, its physical replication slots, the standbys it streams to and what a standby receives.
 */
public interface ReplicationPort {

  /** The server's role and the settings replication needs. */
  PrimarySettings primarySettings(PostgresTarget primary);

  /** The physical slot of that name, when there is one. */
  Optional<Slot> slot(PostgresTarget primary, String slot);

  /** Creates a physical slot (reserving WAL from now); nothing to do when it exists. */
  void createSlot(PostgresTarget primary, String slot);

  /** Drops the slot, first ending the walsender that holds it; false when there was none. */
  boolean dropSlot(PostgresTarget primary, String slot);

  /** {@code pg_stat_replication} on the primary: one row per connected standby. */
  List<Standby> standbys(PostgresTarget primary);

  /** {@code pg_stat_wal_receiver} on a standby: empty when it receives nothing. */
  Optional<WalReceiver> walReceiver(PostgresTarget standby);

  /**
   * @param inRecovery whether the server is itself a standby
   * @param replicationRoles whether {@code user} has the REPLICATION attribute (or is a superuser)
   */
  record PrimarySettings(
      String version,
      boolean inRecovery,
      String walLevel,
      int maxWalSenders,
      int maxReplicationSlots,
      int walSendersInUse,
      int slotsInUse,
      boolean replicationRoles,
      boolean readsAllStats) {}

  record Slot(String name, String type, boolean active, String restartLsn) {}

  /**
   * @param replayLag how far the standby's replay is behind (null when PostgreSQL has no figure
   *     yet, as right after it connects)
   */
  record Standby(
      String applicationName,
      String clientAddress,
      String state,
      String slot,
      Duration replayLag,
      long replayLagBytes) {}

  record WalReceiver(String status, String senderHost, int senderPort, String slot) {}
}
