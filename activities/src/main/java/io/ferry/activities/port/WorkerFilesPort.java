package io.ferry.activities.port;

import java.util.Optional;

/** Files on the worker itself that a plan names (an app spec). Read-only. */
public interface WorkerFilesPort {

  /**
   * The file's text (UTF-8), or empty when there is no such file. Throws {@code InvalidInput} when
   * it is larger than {@code maxBytes} or not a regular file.
   */
  Optional<String> readText(String path, long maxBytes);
}
