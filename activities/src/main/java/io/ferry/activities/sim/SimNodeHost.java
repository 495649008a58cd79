package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.NodeHostPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The simulated hosts' listening ports (as seeded) and the stopping of their services. */
final class SimNodeHost implements NodeHostPort {

  private final SimWorld world;
  private final Map<String, Set<Integer>> listening = new TreeMap<>();

  SimNodeHost(SimWorld world) {
    this.world = world;
  }

  @Override
  public Set<Integer> listeningPorts(SshTarget target) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      return Set.copyOf(listening.getOrDefault(host.address, Set.of()));
    }
  }

  @Override
  public void stopService(SshTarget target, String unit) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      if (!host.services.containsKey(unit)) {
        throw Failures.notFound("Unit " + unit + ".service not found on " + host.address);
      }
      world.hosts.putService(host, unit, "disabled");
    }
  }

  /** A service running on the host, listening on {@code port}. */
  void seedListener(SshTarget target, String unit, int port) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      listening.computeIfAbsent(host.address, a -> new TreeSet<>()).add(port);
      if (unit != null && !host.services.containsKey(unit)) {
        world.hosts.putService(host, unit, "active");
      }
    }
  }
}
