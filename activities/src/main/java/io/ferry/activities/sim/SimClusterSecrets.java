package io.ferry.activities.sim;

import io.ferry.activities.port.ClusterSecretsPort;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The worker's secret store, in memory; the ledger shows each entry's digest, never its value. */
final class SimClusterSecrets implements ClusterSecretsPort {

  static final String PREFIX = "worker-secret:";

  private final SimWorld world;
  private final Map<String, String> values = new TreeMap<>();

  SimClusterSecrets(SimWorld world) {
    this.world = world;
  }

  @Override
  public String put(String migration, String name, String value) {
    synchronized (world) {
      String id = migration + "/" + name;
      values.put(id, value);
      world.ledger.put(
          new Resource(
              "worker-secret", id, Map.of("sha256", SimWorld.sha256(value).substring(0, 16))));
      return PREFIX + id;
    }
  }

  @Override
  public Optional<String> get(String reference) {
    synchronized (world) {
      if (reference == null || !reference.startsWith(PREFIX)) {
        return Optional.empty();
      }
      return Optional.ofNullable(values.get(reference.substring(PREFIX.length())));
    }
  }

  @Override
  public boolean forget(String migration) {
    synchronized (world) {
      boolean any = false;
      for (String id : values.keySet().toArray(new String[0])) {
        if (id.startsWith(migration + "/")) {
          values.remove(id);
          world.ledger.remove("worker-secret", id);
          any = true;
        }
      }
      return any;
    }
  }
}
