package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ManagedDatabasePort;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Managed database clusters; each has one daily backup, taken five hours before it is asked. */
final class SimManagedDatabases implements ManagedDatabasePort {

  private final SimWorld world;
  private final Clock clock;
  private final Map<String, ClusterInfo> clusters = new TreeMap<>();

  SimManagedDatabases(SimWorld world, Clock clock) {
    this.world = world;
    this.clock = clock;
  }

  void seed(String id, String name, String engine) {
    synchronized (world) {
      if (!clusters.containsKey(id)) {
        clusters.put(id, new ClusterInfo(id, name, engine, "16", "online"));
        world.ledger.put(
            new Resource(
                "database-cluster",
                id,
                Map.of("name", name, "engine", engine, "status", "online")));
      }
    }
  }

  @Override
  public Optional<ClusterInfo> cluster(String clusterId) {
    synchronized (world) {
      return Optional.ofNullable(clusters.get(clusterId));
    }
  }

  @Override
  public List<BackupInfo> backups(String clusterId) {
    synchronized (world) {
      if (!clusters.containsKey(clusterId)) {
        throw Failures.notFound("database cluster " + clusterId + " does not exist");
      }
      return List.of(new BackupInfo(clock.instant().minus(Duration.ofHours(5)), 0.7));
    }
  }
}
