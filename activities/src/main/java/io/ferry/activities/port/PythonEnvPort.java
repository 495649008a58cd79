package io.ferry.activities.port;

import io.ferry.plan.SshTarget;

/** Python virtual environments on a host. */
public interface PythonEnvPort {

  /** Whether {@code venv/bin/python} exists under the directory. */
  boolean venvExists(SshTarget host, String venv);

  /** {@code python3 -m venv}. */
  void createVenv(SshTarget host, String venv);

  /**
   * {@code pip install -r requirements} with the venv's pip; a failure throws naming pip's failing
   * requirement. Returns how many packages the venv holds.
   */
  int installRequirements(SshTarget host, String venv, String requirements);

  void removeVenv(SshTarget host, String venv);
}
