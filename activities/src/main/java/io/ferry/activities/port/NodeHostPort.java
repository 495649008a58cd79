package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.Set;

/** What runs on a host as the network sees it: its listening TCP ports; its services stopped. */
public interface NodeHostPort {

  /** The TCP ports something listens on, on any address of the host. */
  Set<Integer> listeningPorts(SshTarget host);

  /** {@code systemctl disable --now}: the unit stops and stays stopped after a reboot. */
  void stopService(SshTarget host, String unit);
}
