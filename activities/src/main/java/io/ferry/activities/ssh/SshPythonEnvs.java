package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.PythonEnvPort;
import io.ferry.plan.SshTarget;
import java.time.Duration;

/** {@link PythonEnvPort} over SSH: {@code python3 -m venv} and the venv's pip. */
public final class SshPythonEnvs implements PythonEnvPort {

  private final SshSessions ssh;

  public SshPythonEnvs(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public boolean venvExists(SshTarget host, String venv) {
    ExecResult r = ssh.exec(host, ExecRequest.of("[ -x " + quote(venv + "/bin/python") + " ]"));
    return r.succeeded();
  }

  @Override
  public void createVenv(SshTarget host, String venv) {
    ExecResult r =
        ssh.exec(
            host,
            ExecRequest.of(RemoteScript.need("python3") + "python3 -m venv -- " + quote(venv)));
    RemoteScript.requireInstalled(host, r, "python3", "apt-get install -y python3 python3-venv");
    if (!r.succeeded()) {
      throw Failures.precondition(
          "python3 -m venv " + venv + " on " + host.host() + " failed: " + r.lastErrorLine());
    }
  }

  @Override
  public int installRequirements(SshTarget host, String venv, String requirements) {
    String pip = quote(venv + "/bin/pip");
    String script =
        "set -e\n"
            + pip
            + " install --disable-pip-version-check --no-input -r "
            + quote(requirements)
            + "\n"
            + pip
            + " list --format=freeze --disable-pip-version-check | wc -l\n";
    ExecResult r = ssh.exec(host, ExecRequest.of(script).withTimeout(Duration.ofMinutes(30)));
    if (!r.succeeded()) {
      throw Failures.precondition(
          "pip install -r "
              + requirements
              + " on "
              + host.host()
              + " failed: "
              + failingRequirement(r));
    }
    String[] lines = r.stdout().strip().split("\n");
    return Integer.parseInt(lines[lines.length - 1].strip());
  }

  @Override
  public void removeVenv(SshTarget host, String venv) {
    if (!venv.endsWith("/venv")) {
      throw Failures.invalidInput("refusing to remove " + venv + ": not a venv directory");
    }
    ssh.execOrFail(host, "removing " + venv, ExecRequest.of("rm -rf -- " + quote(venv)));
  }

  /** pip's own words for what failed: the ERROR lines (the requirement it could not satisfy). */
  static String failingRequirement(ExecResult r) {
    String errors =
        (r.stderr() + "\n" + r.stdout())
            .lines()
            .filter(l -> l.startsWith("ERROR:"))
            .reduce((a, b) -> a + " " + b)
            .orElse(null);
    return errors != null ? errors : r.lastErrorLine();
  }
}
