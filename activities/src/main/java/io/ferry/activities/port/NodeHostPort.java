package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.Set;

/** What runs on a host as the network sees it: its listening TCP ports; its services stopped. */
public interface NodeHostPort {

  /** The TCP ports something listens on, on any address of the host. */
  Set<Integer> listeningPorts(SshTarget host);

  /**
   * On the host itself, connects to {@code 127.0.0.1:port}, sends {@code line} and returns the
   * first line answered (a Redis answers {@code PING} with {@code +PONG}); fails when nothing
   * listens there or nothing is answered. A service bound to the loopback address only is reached
   * too, as its users on the node reach it.
   */
  String tcpExchange(SshTarget host, int port, String line);

  /** {@code systemctl disable --now}: the unit stops and stays stopped after a reboot. */
  void stopService(SshTarget host, String unit);
}
