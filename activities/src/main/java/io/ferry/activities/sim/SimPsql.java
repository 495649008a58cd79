package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.PsqlPort;
import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** psql on the simulated hosts: the roles and databases a seed put there. */
final class SimPsql implements PsqlPort {

  private final SimWorld world;
  private final Map<String, Map<String, List<String>>> roles = new TreeMap<>();

  SimPsql(SimWorld world) {
    this.world = world;
  }

  void seed(String address, String role, List<String> databases) {
    synchronized (world) {
      roles.computeIfAbsent(address, a -> new TreeMap<>()).put(role, List.copyOf(databases));
    }
  }

  @Override
  public List<String> listDatabases(SshTarget target, String role) {
    synchronized (world) {
      String address = world.hosts.connect(target).address;
      List<String> databases = roles.getOrDefault(address, Map.of()).get(role);
      if (databases == null) {
        throw Failures.precondition(
            "psql: error: connection to server on socket failed: FATAL:  role \""
                + role
                + "\" does not exist (on "
                + address
                + ")");
      }
      return databases;
    }
  }
}
