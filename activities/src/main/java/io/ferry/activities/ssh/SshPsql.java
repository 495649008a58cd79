package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.port.PsqlPort;
import io.ferry.plan.SshTarget;
import java.util.List;

/** {@link PsqlPort} over SSH: {@code psql -U ROLE -lqt} on the host (its local socket). */
public final class SshPsql implements PsqlPort {

  private final SshSessions ssh;

  public SshPsql(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public List<String> listDatabases(SshTarget host, String role) {
    String script =
        RemoteScript.need("psql")
            + Shell.words(
                "psql", "-U", RemoteScript.option("role", role), "-d", "postgres", "-lqtA");
    ExecResult r = ssh.exec(host, ExecRequest.of(script));
    RemoteScript.requireInstalled(host, r, "psql", "apt-get install -y postgresql-client");
    if (!r.succeeded()) {
      throw Failures.precondition(
          "psql -l as " + role + " on " + host.host() + " failed: " + r.lastErrorLine());
    }
    return r.stdout()
        .lines()
        .map(l -> l.split("\\|", 2)[0].strip())
        .filter(l -> !l.isEmpty() && !l.contains("="))
        .toList();
  }
}
