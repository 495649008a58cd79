package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.port.PythonEnvPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import java.util.Map;

/**
 * Virtual environments on the simulated hosts: pip reads the requirements file from the host's
 * files, so installing before the code is synced fails as it would.
 */
final class SimPythonEnvs implements PythonEnvPort {

  private final SimWorld world;

  SimPythonEnvs(SimWorld world) {
    this.world = world;
  }

  @Override
  public boolean venvExists(SshTarget target, String venv) {
    synchronized (world) {
      return world.ledger.get("venv", world.hosts.connect(target).address + ":" + venv).isPresent();
    }
  }

  @Override
  public void createVenv(SshTarget target, String venv) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      world.ledger.put(new Resource("venv", host.address + ":" + venv, Map.of("packages", "0")));
    }
  }

  @Override
  public int installRequirements(SshTarget target, String venv, String requirements) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      Resource env =
          world
              .ledger
              .get("venv", host.address + ":" + venv)
              .orElseThrow(() -> Failures.notFound("no venv at " + venv + " on " + host.address));
      HostFile file = host.files.get(requirements);
      if (file == null) {
        throw Failures.precondition(
            "pip: ERROR: Could not open requirements file: [Errno 2] No such file or directory: '"
                + requirements
                + "'");
      }
      int packages =
          (int)
              file.content()
                  .lines()
                  .map(String::strip)
                  .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                  .count();
      world.ledger.put(env.with("packages", Integer.toString(packages)));
      return packages;
    }
  }

  @Override
  public void removeVenv(SshTarget target, String venv) {
    synchronized (world) {
      world.ledger.remove("venv", world.hosts.connect(target).address + ":" + venv);
    }
  }
}
