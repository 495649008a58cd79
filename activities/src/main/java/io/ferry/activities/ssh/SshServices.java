package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ServicesPort;
import io.ferry.plan.SshTarget;

/** {@link ServicesPort} over SSH: {@code systemctl} on the host, the unit name checked first. */
public final class SshServices implements ServicesPort {

  private final SshSessions ssh;

  public SshServices(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public void restartService(SshTarget host, String service) {
    RemoteScript.unitName("service", service);
    ExecResult result =
        ssh.exec(host, ExecRequest.of(Shell.words("systemctl", "restart", service)));
    if (result.succeeded()) {
      return;
    }
    String why = result.lastErrorLine();
    if (why.contains("not found") || why.contains("not loaded")) {
      throw Failures.notFound("Unit " + service + " not found on " + host.host() + ": " + why);
    }
    throw new IllegalStateException(
        "systemctl restart " + service + " on " + host.host() + " failed: " + why);
  }
}
