package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.NodeHostPort;
import io.ferry.plan.SshTarget;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link NodeHostPort} over SSH: {@code ss -Htln} for listening ports, bash's {@code /dev/tcp} for
 * a line exchanged with a local port, {@code systemctl}.
 */
public final class SshNodeHost implements NodeHostPort {

  private static final int REFUSED = 3;
  private static final int SILENT = 4;

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
  public String tcpExchange(SshTarget host, int port, String line) {
    if (port < 1 || port > 65535 || line.contains("\n") || line.contains("\r")) {
      throw Failures.invalidInput("a TCP exchange needs a port 1-65535 and one line, was " + port);
    }
    // bash's /dev/tcp: no client tool needed on the node
    String exchange =
        "exec 3<>\"/dev/tcp/127.0.0.1/$1\" || exit "
            + REFUSED
            + "\nprintf '%s\\r\\n' \"$2\" >&3\n"
            + "IFS= read -r -t 10 answer <&3 || exit "
            + SILENT
            + "\nprintf '%s\\n' \"${answer%$(printf '\\r')}\"";
    String script =
        RemoteScript.need("bash")
            + Shell.words("bash", "-c", exchange, "ferry-tcp", String.valueOf(port), line);
    ExecResult result = ssh.exec(host, ExecRequest.of(script));
    RemoteScript.requireInstalled(host, result, "bash", "install bash");
    if (result.exitStatus() == REFUSED) {
      throw new IllegalStateException(
          "nothing listens on port " + port + " of " + host.host() + " (connection refused)");
    }
    if (result.exitStatus() == SILENT) {
      throw new IllegalStateException(
          "port " + port + " of " + host.host() + " accepted the connection but answered nothing");
    }
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "a TCP exchange with port "
              + port
              + " on "
              + host.host()
              + " failed: "
              + result.lastErrorLine());
    }
    return result.stdout().strip();
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
