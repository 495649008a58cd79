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

  /**
   * A service answers when it was seeded listening on the host or a compose project runs there (its
   * services come up with it): a Redis's {@code +PONG} to {@code PING}, an echo of anything else.
   */
  @Override
  public String tcpExchange(SshTarget target, int port, String line) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      boolean seeded = listening.getOrDefault(host.address, Set.of()).contains(port);
      boolean composed =
          world.ledger.snapshot().values().stream()
              .anyMatch(
                  r ->
                      r.kind().equals("compose")
                          && r.id().startsWith(host.address + ":")
                          && "running".equals(r.attribute("state")));
      if (!seeded && !composed) {
        throw new IllegalStateException(
            "nothing listens on port " + port + " of " + host.address + " (connection refused)");
      }
      return line.equals("PING") ? "+PONG" : line;
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
