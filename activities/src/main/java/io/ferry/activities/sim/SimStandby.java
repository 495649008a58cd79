package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.StandbyPort;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.util.Map;
import java.util.TreeMap;

/**
 * Standbys on the simulated hosts: a base backup needs its slot on the primary and an empty data
 * directory; a started standby streams from the primary (see {@link SimReplication}). Each is in
 * the ledger.
 */
final class SimStandby implements StandbyPort {

  private final SimWorld world;

  /** host:dataDir to running. */
  private final Map<String, Boolean> clusters = new TreeMap<>();

  SimStandby(SimWorld world) {
    this.world = world;
  }

  private String id(SshTarget target, StandbySpec spec) {
    return world.hosts.connect(target).address + ":" + Failures.require("dataDir", spec.dataDir());
  }

  private static PostgresTarget primary(StandbySpec spec) {
    return new PostgresTarget(
        spec.primaryHost(), spec.primaryPort(), "postgres", spec.user(), null, null);
  }

  @Override
  public StandbyState state(SshTarget target, StandbySpec spec) {
    synchronized (world) {
      Boolean running = clusters.get(id(target, spec));
      return new StandbyState(running != null, running != null && running);
    }
  }

  @Override
  public ReplicationLogin checkReplicationLogin(
      SshTarget target, StandbySpec spec, SecretRef password) {
    synchronized (world) {
      world.hosts.connect(target);
      if (!world.replication.primary(primary(spec)).replicationRole) {
        return new ReplicationLogin(
            null,
            "role "
                + spec.user()
                + " lacks the REPLICATION privilege: ALTER ROLE "
                + spec.user()
                + " REPLICATION on the primary");
      }
      return new ReplicationLogin("7301234567890123456", null);
    }
  }

  @Override
  public void bootstrap(SshTarget target, StandbySpec spec, SecretRef password) {
    synchronized (world) {
      String id = id(target, spec);
      if (clusters.containsKey(id)) {
        throw Failures.precondition(
            "pg_basebackup: error: directory \"" + spec.dataDir() + "\" exists but is not empty");
      }
      if (world.replication.slot(primary(spec), spec.slot()).isEmpty()) {
        throw Failures.precondition(
            "pg_basebackup: error: replication slot \"" + spec.slot() + "\" does not exist");
      }
      clusters.put(id, false);
      world.ledger.put(
          new Resource(
              "standby", id, Map.of("slot", spec.slot(), "port", String.valueOf(spec.port()))));
      start(target, spec);
    }
  }

  @Override
  public void start(SshTarget target, StandbySpec spec) {
    synchronized (world) {
      String id = id(target, spec);
      clusters.put(id, true);
      world.replication.attach(
          primary(spec), spec.applicationName(), target.host(), spec.port(), spec.slot());
    }
  }

  @Override
  public void remove(SshTarget target, StandbySpec spec) {
    synchronized (world) {
      String id = id(target, spec);
      world.replication.detach(primary(spec), spec.applicationName());
      if (clusters.remove(id) != null) {
        world.ledger.remove("standby", id);
      }
    }
  }
}
