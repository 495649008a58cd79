package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Long-running containers on a host: listing, inspecting, running detached, removing. */
public interface DockerPort {

  /** {@code docker ps}: names of the running containers; fails when docker does not answer. */
  List<String> runningContainers(SshTarget host);

  /** The container of that name (running or not), or empty. */
  Optional<ContainerInfo> inspect(SshTarget host, String name);

  /**
   * {@code docker run -d --name NAME --network host -v ... -e ... IMAGE}, every value quoted.
   *
   * @return the container's id
   */
  String runDetached(
      SshTarget host, String name, String image, List<String> volumes, Map<String, String> env);

  /** {@code docker rm -f}; false when there was none. */
  boolean remove(SshTarget host, String name);

  record ContainerInfo(String id, String image, boolean running) {}
}
