package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.SystemdPort;
import io.ferry.plan.SshTarget;

/** {@link SystemdPort} over SSH: {@code systemctl} on the host, unit names checked first. */
public final class SshSystemd implements SystemdPort {

  private final SshSessions ssh;

  public SshSystemd(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public void daemonReload(SshTarget host) {
    ssh.execOrFail(host, "systemctl daemon-reload", ExecRequest.of("systemctl daemon-reload"));
  }

  @Override
  public void enableNow(SshTarget host, String unit) {
    RemoteScript.unitName("unit", unit);
    ExecResult r =
        ssh.exec(host, ExecRequest.of(Shell.words("systemctl", "enable", "--now", unit)));
    if (!r.succeeded()) {
      String why = r.lastErrorLine();
      if (why.contains("not found") || why.contains("does not exist")) {
        throw Failures.notFound("Unit " + unit + " not found on " + host.host() + ": " + why);
      }
      throw new IllegalStateException(
          "systemctl enable --now " + unit + " on " + host.host() + " failed: " + why);
    }
  }

  @Override
  public String activeState(SshTarget host, String unit) {
    RemoteScript.unitName("unit", unit);
    // is-active exits non-zero for every state but active; its output is the state
    ExecResult r = ssh.exec(host, ExecRequest.of(Shell.words("systemctl", "is-active", unit)));
    String state = r.stdout().strip();
    return state.isEmpty() ? "unknown" : state.lines().findFirst().orElse("unknown");
  }

  @Override
  public boolean disableNow(SshTarget host, String unit) {
    RemoteScript.unitName("unit", unit);
    String script =
        "if systemctl cat -- "
            + Shell.quote(unit)
            + " >/dev/null 2>&1; then systemctl disable --now -- "
            + Shell.quote(unit)
            + " && echo disabled; fi";
    return ssh.execOrFail(host, "systemctl disable --now " + unit, ExecRequest.of(script))
        .contains("disabled");
  }
}
