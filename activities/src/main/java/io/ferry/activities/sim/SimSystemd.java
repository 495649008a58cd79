package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.SystemdPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;

/** systemd on the simulated hosts: a unit starts only once its file is there. */
final class SimSystemd implements SystemdPort {

  static final String UNIT_DIR = "/etc/systemd/system/";

  private final SimWorld world;

  SimSystemd(SimWorld world) {
    this.world = world;
  }

  @Override
  public void daemonReload(SshTarget target) {
    synchronized (world) {
      world.hosts.connect(target);
    }
  }

  @Override
  public void enableNow(SshTarget target, String unit) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      if (!host.services.containsKey(unit)
          && !host.files.containsKey(UNIT_DIR + unit + ".service")) {
        throw Failures.notFound("Unit " + unit + ".service not found on " + host.address);
      }
      world.hosts.putService(host, unit, "active");
    }
  }

  @Override
  public String activeState(SshTarget target, String unit) {
    synchronized (world) {
      String state = world.hosts.connect(target).services.get(unit);
      return state == null ? "inactive" : state;
    }
  }

  @Override
  public boolean disableNow(SshTarget target, String unit) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      if (host.services.remove(unit) == null) {
        return false;
      }
      world.ledger.remove("service", host.address + ":" + unit);
      return true;
    }
  }
}
