package io.ferry.activities.port;

import io.ferry.plan.SshTarget;

/** The systemd services of a host. */
public interface ServicesPort {

  /** {@code systemctl restart}; an unknown unit throws a non-retryable {@code NotFound}. */
  void restartService(SshTarget host, String service);
}
