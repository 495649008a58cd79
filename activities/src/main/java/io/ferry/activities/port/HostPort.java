package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Optional;

/**
 * Files, systemd services and Docker Compose projects on a host (over SSH in the real adapter,
 * which always verifies the host key). A compose project lives in {@code directory/compose.yaml}.
 */
public interface HostPort {

  Optional<HostFile> readFile(SshTarget host, String path);

  /** Writes the whole file atomically (temp file + rename) with the given octal mode. */
  void writeFile(SshTarget host, String path, String content, String mode);

  /** Removes the file; returns false when it was not there. */
  boolean removeFile(SshTarget host, String path);

  void restartService(SshTarget host, String service);

  /** Brings the project up ({@code docker compose up -d}); returns the running services. */
  List<String> composeUp(SshTarget host, String directory, String project);

  /** The running services of the project, or empty when it is not up. */
  Optional<List<String>> composeServices(SshTarget host, String directory, String project);

  void composeDown(SshTarget host, String directory, String project);

  record HostFile(String content, String mode) {}
}
