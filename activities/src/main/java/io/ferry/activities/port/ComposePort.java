package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Optional;

/**
 * Docker Compose projects on a host. A project lives in {@code directory/compose.yaml} and is known
 * to compose by its name.
 */
public interface ComposePort {

  /** Brings the project up ({@code docker compose up -d}); returns the running services. */
  List<String> composeUp(SshTarget host, String directory, String project);

  /** The running services of the project, or empty when it is not up. */
  Optional<List<String>> composeServices(SshTarget host, String directory, String project);

  void composeDown(SshTarget host, String directory, String project);
}
