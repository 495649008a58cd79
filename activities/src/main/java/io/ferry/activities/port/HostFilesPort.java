package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.Optional;

/** Files on a host (over SSH in the real adapter, which always verifies the host key). */
public interface HostFilesPort {

  Optional<HostFile> readFile(SshTarget host, String path);

  /** Writes the whole file atomically (temp file + rename) with the given octal mode. */
  void writeFile(SshTarget host, String path, String content, String mode);

  /** Removes the file; returns false when it was not there. */
  boolean removeFile(SshTarget host, String path);

  record HostFile(String content, String mode) {}
}
