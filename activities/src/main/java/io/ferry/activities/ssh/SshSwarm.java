package io.ferry.activities.ssh;

import io.ferry.activities.port.SwarmPort;
import io.ferry.plan.SshTarget;
import java.util.Arrays;
import java.util.List;

/** {@link SwarmPort} over SSH: {@code docker stack} on a manager node. */
public final class SshSwarm implements SwarmPort {

  private final SshSessions ssh;

  public SshSwarm(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public List<String> stacks(SshTarget manager) {
    ExecResult result =
        ssh.exec(
            manager,
            ExecRequest.of(RemoteScript.need("docker") + "docker stack ls --format '{{.Name}}'\n"));
    RemoteScript.requireInstalled(manager, result, "docker", "it must be a Swarm manager");
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "docker stack ls on " + manager.host() + " failed: " + result.lastErrorLine());
    }
    return Arrays.stream(result.stdout().split("\n"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  @Override
  public void removeStack(SshTarget manager, String stack) {
    ssh.execOrFail(
        manager,
        "removing stack " + stack,
        ExecRequest.of(Shell.words("docker", "stack", "rm", RemoteScript.option("stack", stack))));
  }
}
