package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ServicesPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;

/** The systemd services of the simulated hosts; an app node creates a unit it does not know. */
final class SimServices implements ServicesPort {

  private final SimWorld world;

  SimServices(SimWorld world) {
    this.world = world;
  }

  @Override
  public void restartService(SshTarget target, String service) {
    synchronized (world) {
      SimHosts hosts = world.hosts;
      Host host = hosts.connect(target);
      if (!host.services.containsKey(service)) {
        if (!host.lazy) {
          throw Failures.notFound("Unit " + service + ".service not found on " + host.address);
        }
        hosts.putService(host, service, "active");
      }
      String state = host.services.get(service);
      hosts.putService(host, service, "restarting");
      hosts.putService(
          host, service, "active".equals(state) || "restarting".equals(state) ? "active" : state);
    }
  }
}
