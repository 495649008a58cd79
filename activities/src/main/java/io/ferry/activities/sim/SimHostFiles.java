package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import java.util.Optional;

/** The files of the simulated hosts; an app node's unknown env file reads as its default config. */
final class SimHostFiles implements HostFilesPort {

  private final SimWorld world;

  SimHostFiles(SimWorld world) {
    this.world = world;
  }

  @Override
  public Optional<HostFile> readFile(SshTarget target, String path) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      if (!host.files.containsKey(path)
          && host.lazy
          && !host.touchedPaths.contains(path)
          && path.endsWith(".env")) {
        world.hosts.putFile(
            host,
            path,
            new HostFile(
                SimHosts.defaultAppConfig("redis://10.120.0.9:6379/0", "10.120.0.5"), "0640"));
      }
      host.touchedPaths.add(path);
      return Optional.ofNullable(host.files.get(path));
    }
  }

  @Override
  public void writeFile(SshTarget target, String path, String content, String mode) {
    synchronized (world) {
      if (!path.startsWith("/")) {
        throw Failures.invalidInput("path must be absolute, was " + path);
      }
      world.hosts.putFile(world.hosts.connect(target), path, new HostFile(content, mode));
    }
  }

  @Override
  public boolean removeFile(SshTarget target, String path) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      host.touchedPaths.add(path);
      if (host.files.remove(path) == null) {
        return false;
      }
      world.ledger.remove("file", host.address + ":" + path);
      return true;
    }
  }
}
