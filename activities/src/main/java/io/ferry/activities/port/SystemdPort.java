package io.ferry.activities.port;

import io.ferry.plan.SshTarget;

/** systemd on a host: units are files (written through {@link HostFilesPort}) and these calls. */
public interface SystemdPort {

  void daemonReload(SshTarget host);

  /** {@code systemctl enable --now}. */
  void enableNow(SshTarget host, String unit);

  /** {@code systemctl is-active}: active, activating, failed, inactive, or unknown. */
  String activeState(SshTarget host, String unit);

  /** {@code systemctl disable --now}; false when the unit is not known. */
  boolean disableNow(SshTarget host, String unit);
}
