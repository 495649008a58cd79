package io.ferry.lab;

import java.nio.file.Path;

/**
 * One lab host: a network namespace with its address on the lab's bridge, and its own directory,
 * whose {@code opt} and {@code usr-local} are the host's {@code /opt} and {@code /usr/local}.
 */
record LabHost(String name, String namespace, String address, Path dir) {

  Path opt() {
    return dir.resolve("opt");
  }

  /**
   * The host's {@code /usr/local/bin}: the argument-checking tools (docker, systemctl) live here.
   */
  Path bin() {
    return dir.resolve("usr-local/bin");
  }

  /** The host's own crontab spool ({@code /var/spool/cron/crontabs}) when it exists. */
  Path crontabs() {
    return dir.resolve("crontabs");
  }

  /** What the host's stand-in tools were asked, one line per call. */
  Path toolLog() {
    return dir.resolve("usr-local/var/tool-calls.log");
  }
}
