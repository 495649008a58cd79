package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.DockerPort;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** {@link DockerPort} over SSH: the docker CLI on the host, every value quoted. */
public final class SshDocker implements DockerPort {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String INSTALL = "install Docker Engine (apt-get install -y docker.io)";

  private final SshSessions ssh;

  public SshDocker(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public List<String> runningContainers(SshTarget host) {
    ExecResult r =
        ssh.exec(
            host, ExecRequest.of(RemoteScript.need("docker") + "docker ps --format '{{.Names}}'"));
    RemoteScript.requireInstalled(host, r, "docker", INSTALL);
    if (!r.succeeded()) {
      throw Failures.precondition("docker ps on " + host.host() + " failed: " + r.lastErrorLine());
    }
    return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Override
  public Optional<ContainerInfo> inspect(SshTarget host, String name) {
    ExecResult r =
        ssh.exec(
            host,
            ExecRequest.of(
                RemoteScript.need("docker")
                    + "docker inspect --format '{{.Id}} {{.Config.Image}} {{.State.Running}}' -- "
                    + Shell.quote(name(name))));
    RemoteScript.requireInstalled(host, r, "docker", INSTALL);
    if (!r.succeeded()) {
      if (r.stderr().contains("No such")) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          "docker inspect " + name + " on " + host.host() + " failed: " + r.lastErrorLine());
    }
    String[] f = r.stdout().strip().split(" ");
    return Optional.of(new ContainerInfo(f[0], f[1], Boolean.parseBoolean(f[2])));
  }

  @Override
  public String runDetached(
      SshTarget host, String name, String image, List<String> volumes, Map<String, String> env) {
    List<String> words = new ArrayList<>(List.of("docker", "run", "-d", "--name", name(name)));
    words.addAll(List.of("--network", "host", "--restart", "unless-stopped"));
    for (String v : volumes) {
      words.add("-v");
      words.add(RemoteScript.option("volume", v));
    }
    new TreeMap<>(env)
        .forEach(
            (k, v) -> {
              if (!ENV_KEY.matcher(k).matches()) {
                throw Failures.invalidInput("not an environment variable name: " + k);
              }
              words.add("-e");
              words.add(k + "=" + v);
            });
    words.add(RemoteScript.option("image", image));
    ExecResult r = ssh.exec(host, ExecRequest.of(RemoteScript.need("docker") + Shell.words(words)));
    RemoteScript.requireInstalled(host, r, "docker", INSTALL);
    if (!r.succeeded()) {
      throw new IllegalStateException(
          "docker run " + name + " on " + host.host() + " failed: " + r.lastErrorLine());
    }
    String out = r.stdout().strip();
    return out.substring(0, Math.min(12, out.length()));
  }

  @Override
  public boolean remove(SshTarget host, String name) {
    String n = Shell.quote(name(name));
    String script =
        RemoteScript.need("docker")
            + "if docker inspect -- "
            + n
            + " >/dev/null 2>&1; then docker rm -f -- "
            + n
            + " >/dev/null && echo removed; fi";
    ExecResult r = ssh.exec(host, ExecRequest.of(script));
    RemoteScript.requireInstalled(host, r, "docker", INSTALL);
    if (!r.succeeded()) {
      throw new IllegalStateException(
          "docker rm -f " + name + " on " + host.host() + " failed: " + r.lastErrorLine());
    }
    return r.stdout().contains("removed");
  }

  private static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw Failures.invalidInput("not a container name: " + name);
    }
    return name;
  }
}
