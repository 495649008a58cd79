package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.NodeHostPort;
import io.ferry.plan.SshTarget;
import java.util.Set;
import java.util.TreeSet;

/** {@link NodeHostPort} over SSH: {@code ss -Htln} for listening ports, {@code systemctl}. */
public final class SshNodeHost implements NodeHostPort {

  private final SshSessions ssh;

  public SshNodeHost(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public Set<Integer> listeningPorts(SshTarget host) {
    ExecResult result = ssh.exec(host, ExecRequest.of(RemoteScript.need("ss") + "ss -Htln"));
    RemoteScript.requireInstalled(
        host, result, "ss", "install iproute2 (Debian/Ubuntu: apt-get install -y iproute2)");
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "ss -Htln on " + host.host() + " failed: " + result.lastErrorLine());
    }
    Set<Integer> ports = new TreeSet<>();
    for (String line : result.stdout().split("\n")) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length < 4) {
        continue;
      }
      String local = columns[3];
      int colon = local.lastIndexOf(':');
      try {
        ports.add(Integer.parseInt(local.substring(colon + 1)));
      } catch (NumberFormatException e) {
        // a '*' port: not a listener that can collide
      }
    }
    return ports;
  }

  @Override
  public void stopService(SshTarget host, String unit) {
    RemoteScript.unitName("unit", unit);
    ExecResult result =
        ssh.exec(host, ExecRequest.of(Shell.words("systemctl", "disable", "--now", unit)));
    if (result.succeeded()) {
      return;
    }
    String why = result.lastErrorLine();
    if (why.contains("not found") || why.contains("does not exist")) {
      throw Failures.notFound("Unit " + unit + " not found on " + host.host() + ": " + why);
    }
    throw new IllegalStateException(
        "systemctl disable --now " + unit + " on " + host.host() + " failed: " + why);
  }
}
