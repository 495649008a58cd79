package io.ferry.activities.node;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ReplicationPort;
import io.ferry.activities.port.ReplicationPort.PrimarySettings;
import io.ferry.activities.port.ReplicationPort.Standby;
import io.ferry.activities.port.ReplicationPort.WalReceiver;
import io.ferry.activities.port.StandbyPort;
import io.ferry.activities.port.StandbyPort.ReplicationLogin;
import io.ferry.activities.port.StandbyPort.StandbySpec;
import io.ferry.activities.port.StandbyPort.StandbyState;
import io.ferry.contract.ReplicationActivities;
import io.ferry.plan.PostgresTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ReplicationActivities} over the primary's replication view and the standbys' hosts. */
public final class ReplicationActivitiesImpl implements ReplicationActivities {

  private final ReplicationPort replication;
  private final StandbyPort standbys;

  public ReplicationActivitiesImpl(ReplicationPort replication, StandbyPort standbys) {
    this.replication = replication;
    this.standbys = standbys;
  }

  @Override
  public PrimaryReport inspectPrimary(PrimaryCheck check) {
    PostgresTarget primary = Failures.require("primary", check.primary());
    PrimarySettings s = replication.primarySettings(primary);
    List<String> missing = new ArrayList<>();
    if (s.inRecovery()) {
      missing.add("the server is itself a standby (pg_is_in_recovery() is true): name the primary");
    }
    if (!s.walLevel().equals("replica") && !s.walLevel().equals("logical")) {
      missing.add("wal_level is " + s.walLevel() + ", needs replica or logical (restart needed)");
    }
    if (s.maxWalSenders() - s.walSendersInUse() < check.replicas()) {
      missing.add(
          "max_wal_senders is "
              + s.maxWalSenders()
              + " with "
              + s.walSendersInUse()
              + " in use; "
              + check.replicas()
              + " more are needed (restart needed)");
    }
    if (s.maxReplicationSlots() - s.slotsInUse() < check.replicas()) {
      missing.add(
          "max_replication_slots is "
              + s.maxReplicationSlots()
              + " with "
              + s.slotsInUse()
              + " in use; "
              + check.replicas()
              + " more are needed (restart needed)");
    }
    if (!s.replicationRoles()) {
      missing.add(
          "role "
              + primary.user()
              + " lacks the REPLICATION privilege (ALTER ROLE "
              + primary.user()
              + " REPLICATION)");
    }
    if (!s.readsAllStats()) {
      missing.add(
          "role "
              + primary.user()
              + " cannot read the standbys' state and lag in pg_stat_replication and"
              + " pg_stat_wal_receiver (GRANT pg_read_all_stats TO "
              + primary.user()
              + ")");
    }
    if (!missing.isEmpty()) {
      throw Failures.precondition(
          "the primary "
              + primary.host()
              + ":"
              + primary.port()
              + " is not ready for replication, nothing was changed: "
              + String.join("; ", missing));
    }
    return new PrimaryReport(
        s.version(),
        s.walLevel(),
        s.maxWalSenders(),
        s.walSendersInUse(),
        s.maxReplicationSlots(),
        s.slotsInUse());
  }

  @Override
  public ReplicaLogins checkReplicaLogins(Replicas replicas) {
    List<String> refused = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    String systemId = null;
    for (Replica r : Failures.require("replicas", replicas.replicas())) {
      ReplicationLogin login =
          standbys.checkReplicationLogin(r.host(), spec(replicas, r), replicas.password());
      if (login.accepted()) {
        accepted.add(r.name());
        systemId = login.systemId();
      } else {
        refused.add(r.name() + " (" + r.host().host() + "): " + login.refusal());
      }
    }
    if (!refused.isEmpty()) {
      PostgresTarget p = replicas.primary();
      throw Failures.precondition(
          "the primary "
              + p.host()
              + ":"
              + p.port()
              + " refuses replication connections, nothing was changed: "
              + String.join("; ", refused));
    }
    return new ReplicaLogins(accepted, systemId);
  }

  @Override
  public SlotsCreated createSlots(Slots slots) {
    for (String slot : Failures.require("names", slots.names())) {
      replication.createSlot(slots.primary(), slot);
    }
    return new SlotsCreated(slots.names());
  }

  @Override
  public void dropSlots(Slots slots) {
    for (String slot : Failures.require("names", slots.names())) {
      replication.dropSlot(slots.primary(), slot);
    }
  }

  @Override
  public ReplicasStarted bootstrapReplicas(Replicas replicas) {
    List<String> started = new ArrayList<>();
    for (Replica r : Failures.require("replicas", replicas.replicas())) {
      StandbySpec spec = spec(replicas, r);
      StandbyState state = standbys.state(r.host(), spec);
      if (!state.hasCluster()) {
        if (replication.slot(replicas.primary(), r.slot()).isEmpty()) {
          throw Failures.precondition(
              "slot " + r.slot() + " for " + r.name() + " is missing on the primary");
        }
        standbys.bootstrap(r.host(), spec, replicas.password());
      } else if (!state.running()) {
        standbys.start(r.host(), spec);
      }
      started.add(r.name());
    }
    return new ReplicasStarted(started);
  }

  @Override
  public void removeReplicas(Replicas replicas) {
    for (Replica r : Failures.require("replicas", replicas.replicas())) {
      standbys.remove(r.host(), spec(replicas, r));
      // an orphaned slot keeps WAL on the primary for ever: never leave one behind
      replication.dropSlot(replicas.primary(), r.slot());
    }
  }

  @Override
  public StreamingReport measureStreaming(StreamingCheck check) {
    Replicas replicas = check.replicas();
    List<Standby> seen = replication.standbys(replicas.primary());
    List<ReplicaLag> lags = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Replica r : replicas.replicas()) {
      Optional<Standby> standby =
          seen.stream().filter(s -> r.name().equals(s.applicationName())).findFirst();
      if (standby.isEmpty()) {
        problems.add(r.name() + " is not in pg_stat_replication on the primary");
        continue;
      }
      Standby s = standby.get();
      if (!"streaming".equals(s.state())) {
        problems.add(r.name() + " is " + s.state() + ", not streaming");
      }
      if (r.address() != null && !r.address().equals(s.clientAddress())) {
        problems.add(
            r.name() + " connects from " + s.clientAddress() + ", expected " + r.address());
      }
      Optional<WalReceiver> receiver = replication.walReceiver(standbyTarget(replicas, r));
      if (receiver.isEmpty() || !"streaming".equals(receiver.get().status())) {
        problems.add(
            r.name()
                + "'s pg_stat_wal_receiver shows "
                + receiver.map(WalReceiver::status).orElse("no receiver"));
      }
      if (s.replayLag() != null && s.replayLag().compareTo(check.maxLag()) > 0) {
        problems.add(
            r.name()
                + " replays "
                + s.replayLag().toMillis()
                + " ms behind, over the limit of "
                + check.maxLag().toMillis()
                + " ms");
      }
      lags.add(new ReplicaLag(r.name(), s.clientAddress(), s.state(), s.replayLag()));
    }
    return new StreamingReport(lags, problems);
  }

  /** The standby as a PostgreSQL server, reached like the primary but at its own address. */
  private static PostgresTarget standbyTarget(Replicas replicas, Replica r) {
    PostgresTarget p = replicas.primary();
    return new PostgresTarget(
        r.address() == null ? r.host().host() : r.address(),
        r.port(),
        p.database(),
        p.user(),
        p.password(),
        p.sslMode());
  }

  private static StandbySpec spec(Replicas replicas, Replica r) {
    PostgresTarget p = replicas.primary();
    Optional.ofNullable(r.slot())
        .orElseThrow(() -> Failures.invalidInput("replica slot is required"));
    return new StandbySpec(
        Failures.require("binDir", r.binDir()),
        Failures.require("dataDir", r.dataDir()),
        r.port(),
        r.osUser() == null ? "postgres" : r.osUser(),
        p.host(),
        p.port(),
        Failures.require("user", replicas.user()),
        r.slot(),
        r.name());
  }
}
