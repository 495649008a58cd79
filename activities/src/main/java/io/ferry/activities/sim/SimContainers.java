package io.ferry.activities.sim;

import io.ferry.activities.port.ContainersPort;
import io.ferry.activities.sim.SimHosts.Host;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker on the simulated hosts: a push needs a login to its registry from that host first and
 * lands in the simulated registry; a container runs only an image the registry has.
 */
final class SimContainers implements ContainersPort {

  private final SimWorld world;
  private final Set<String> logins = new HashSet<>();

  SimContainers(SimWorld world) {
    this.world = world;
  }

  @Override
  public void registryLogin(SshTarget target, String server, String user, String token) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      if (token == null || token.isBlank()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "docker login " + server + " was refused: empty token", FailureTypes.AUTH);
      }
      logins.add(host.address + " " + server);
    }
  }

  @Override
  public String buildAndPush(SshTarget target, ImageBuildSpec build) {
    synchronized (world) {
      Host host = world.hosts.connect(target);
      String server = build.reference().substring(0, build.reference().indexOf('/'));
      if (!logins.contains(host.address + " " + server)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "push of " + build.reference() + " denied: not logged in to " + server,
            FailureTypes.AUTH);
      }
      return world.registry.push(build.reference());
    }
  }

  @Override
  public CommandResult runContainer(
      SshTarget target, String image, List<String> command, Map<String, String> env) {
    synchronized (world) {
      world.hosts.connect(target);
      String rest = image.substring(image.indexOf('/') + 1);
      rest = rest.substring(rest.indexOf('/') + 1);
      int colon = rest.lastIndexOf(':');
      if (!world.registry.has(rest.substring(0, colon), rest.substring(colon + 1))) {
        return new CommandResult(125, "Unable to find image '" + image + "'");
      }
      return new CommandResult(0, "ran " + String.join(" ", command) + ": ok");
    }
  }
}
