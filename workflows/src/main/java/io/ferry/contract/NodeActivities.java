package io.ferry.contract;

import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

/** A node's services seen from outside and its compose stack: health, free ports, decommission. */
@ActivityInterface(namePrefix = "Node.")
public interface NodeActivities {

  /**
   * GETs each service's {@code http://} health URL; a {@code redis://HOST:PORT} one gets a {@code
   * PING} on the node itself (to 127.0.0.1:PORT). Fails naming every one that does not answer
   * (2xx/3xx; {@code +PONG}, or Redis asking for its password).
   */
  ServicesHealthy checkServices(ServiceChecks checks);

  /** Fails naming every port something already listens on. */
  PortsFree checkPortsFree(PortsCheck check);

  /**
   * Writes the compose file and its {@code .env} (0600: the settings and the secrets, resolved on
   * the worker) and brings the project up; a retry finds the files and the running project.
   */
  NodeStarted startNode(NodeProject project);

  /** Takes the project down and removes its files; nothing to do when it is not there. */
  void stopNode(NodeProjectRef project);

  /** Stops and disables the old services for good ({@code systemctl disable --now}). */
  ServicesStopped decommission(Decommission request);

  record Service(String name, String url) {}

  /**
   * @param node where the {@code redis://} services run, reached over SSH for their PING
   */
  record ServiceChecks(String what, SshTarget node, List<Service> services) {}

  record ServicesHealthy(String what, List<String> services) implements Summarized {
    @Override
    public String summary() {
      return what + " answer: " + String.join(", ", services);
    }
  }

  record PortsCheck(SshTarget host, Map<String, Integer> ports) {}

  record PortsFree(String host, List<Integer> ports) implements Summarized {
    @Override
    public String summary() {
      return "ports " + ports + " are free on " + host;
    }
  }

  /**
   * @param settings plain values for {@code .env} (hosts, ports)
   * @param secrets values for {@code .env} resolved on the worker
   */
  record NodeProject(
      SshTarget host,
      String directory,
      String name,
      String composeYaml,
      Map<String, String> settings,
      Map<String, SecretRef> secrets) {}

  record NodeProjectRef(SshTarget host, String directory, String name) {}

  record NodeStarted(String host, String name, List<String> services) implements Summarized {
    @Override
    public String summary() {
      return "compose project " + name + " on " + host + " running " + services;
    }
  }

  record Decommission(SshTarget host, List<String> units) {}

  record ServicesStopped(String host, List<String> units) implements Summarized {
    @Override
    public String summary() {
      return "stopped and disabled " + units + " on " + host;
    }
  }
}
