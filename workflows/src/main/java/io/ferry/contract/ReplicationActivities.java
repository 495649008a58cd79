package io.ferry.contract;

import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.ProbeVerdict;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL streaming replication from an existing primary to new standbys. */
@ActivityInterface(namePrefix = "Replication.")
public interface ReplicationActivities {

  /**
   * Records the primary's role and settings; fails, changing nothing, naming each setting or
   * privilege that replication to {@code replicas} standbys lacks.
   */
  PrimaryReport inspectPrimary(PrimaryCheck check);

  /**
   * From each replica's host, a replication connection to the primary as the base backup will open
   * it ({@code IDENTIFY_SYSTEM}); fails, changing nothing, naming per replica the missing
   * REPLICATION privilege or the exact {@code pg_hba.conf} line to add.
   */
  ReplicaLogins checkReplicaLogins(Replicas replicas);

  /** One physical slot per replica; a retry finds the slots made before. */
  SlotsCreated createSlots(Slots slots);

  /** Drops the slots (ending any walsender holding one); nothing to do for a missing one. */
  void dropSlots(Slots slots);

  /**
   * Per replica: {@code pg_basebackup -R -S SLOT -X stream} into its empty data directory, then
   * starts it as a standby. A replica already streaming from its slot is left as it is.
   */
  ReplicasStarted bootstrapReplicas(Replicas replicas);

  /** Per replica: stops it, removes its data directory and drops its slot. */
  void removeReplicas(Replicas replicas);

  /**
   * One look per replica: {@code pg_stat_replication} on the primary shows it streaming from its
   * address, {@code pg_stat_wal_receiver} on it shows it receiving, and its replay lag is under
   * {@code maxLag}. Reports what it saw (the lag per replica, what is wrong) instead of failing, so
   * the workflow can hold while a replica catches up.
   */
  StreamingReport measureStreaming(StreamingCheck check);

  record PrimaryCheck(PostgresTarget primary, int replicas) {}

  record PrimaryReport(
      String version,
      String walLevel,
      int maxWalSenders,
      int walSendersInUse,
      int maxReplicationSlots,
      int slotsInUse)
      implements Summarized {
    @Override
    public String summary() {
      return "primary PostgreSQL "
          + version
          + ": wal_level="
          + walLevel
          + ", max_wal_senders="
          + maxWalSenders
          + " ("
          + walSendersInUse
          + " in use), max_replication_slots="
          + maxReplicationSlots
          + " ("
          + slotsInUse
          + " in use)";
    }
  }

  record Slots(PostgresTarget primary, List<String> names) {}

  record SlotsCreated(List<String> names) implements Summarized {
    @Override
    public String summary() {
      return "physical replication slots " + names;
    }
  }

  /**
   * One standby.
   *
   * @param name its {@code application_name} on the primary
   * @param address the address the primary sees it connect from
   * @param binDir where {@code pg_basebackup} and {@code pg_ctl} are (Debian: {@code
   *     /usr/lib/postgresql/15/bin})
   * @param osUser the system user PostgreSQL runs as
   */
  record Replica(
      String name,
      SshTarget host,
      String address,
      String binDir,
      String dataDir,
      int port,
      String slot,
      String osUser) {}

  /**
   * @param user the role standbys connect as (it needs REPLICATION)
   */
  record Replicas(
      PostgresTarget primary, String user, SecretRef password, List<Replica> replicas) {}

  /** Each replica host's replication connection was accepted by the primary. */
  record ReplicaLogins(List<String> replicas, String systemId) implements Summarized {
    @Override
    public String summary() {
      return "the primary (system " + systemId + ") accepts replication from " + replicas;
    }
  }

  record ReplicasStarted(List<String> replicas) implements Summarized {
    @Override
    public String summary() {
      return "standbys started: " + replicas;
    }
  }

  record StreamingCheck(Replicas replicas, Duration maxLag) {}

  record ReplicaLag(String name, String address, String state, Duration lag) {}

  /**
   * @param problems what keeps the replicas from passing (not streaming, lag over the limit); empty
   *     when they pass
   */
  record StreamingReport(List<ReplicaLag> replicas, List<String> problems)
      implements ProbeVerdict, Summarized {
    @Override
    public boolean passed() {
      return problems.isEmpty();
    }

    @Override
    public String detail() {
      return summary();
    }

    @Override
    public String summary() {
      String lags =
          replicas.stream()
              .map(
                  r ->
                      r.name()
                          + " from "
                          + r.address()
                          + " lag "
                          + (r.lag() == null ? 0 : r.lag().toMillis())
                          + " ms")
              .collect(Collectors.joining(", "));
      return (lags.isEmpty() ? "no replica streaming" : "streaming: " + lags)
          + (problems.isEmpty() ? "" : "; " + String.join("; ", problems));
    }
  }
}
