package io.ferry.activities.node;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ComposePort;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.NodeHostPort;
import io.ferry.contract.NodeActivities;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** {@link NodeActivities} over HTTP probes, the host's ports and services, files and compose. */
public final class NodeActivitiesImpl implements NodeActivities {

  static final String COMPOSE_FILE = "compose.yaml";
  private static final String REDIS = "redis://";
  static final String ENV_FILE = ".env";
  private static final Pattern ENV_KEY = Pattern.compile("[A-Z_][A-Z0-9_]*");

  private final HttpPort http;
  private final NodeHostPort node;
  private final HostFilesPort files;
  private final ComposePort compose;
  private final SecretResolver secrets;

  public NodeActivitiesImpl(
      HttpPort http,
      NodeHostPort node,
      HostFilesPort files,
      ComposePort compose,
      SecretResolver secrets) {
    this.http = http;
    this.node = node;
    this.files = files;
    this.compose = compose;
    this.secrets = secrets;
  }

  @Override
  public ServicesHealthy checkServices(ServiceChecks checks) {
    List<String> healthy = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    for (Service s : Failures.require("services", checks.services())) {
      String problem;
      try {
        problem =
            s.url().startsWith(REDIS)
                ? redisProblem(checks.node(), s.url())
                : httpProblem(http.get(s.url()));
      } catch (io.temporal.failure.ApplicationFailure e) {
        throw e;
      } catch (RuntimeException e) {
        problem = "did not answer (" + e.getMessage() + ")";
      }
      if (problem == null) {
        healthy.add(s.name());
      } else {
        failing.add(s.name() + " at " + s.url() + " " + problem);
      }
    }
    if (!failing.isEmpty()) {
      // retried by Temporal: a service that is still starting answers on a later attempt
      throw new IllegalStateException(
          checks.what() + " not healthy: " + String.join("; ", failing));
    }
    return new ServicesHealthy(checks.what(), healthy);
  }

  private static String httpProblem(HttpAnswer answer) {
    return answer.status() >= 200 && answer.status() < 400 ? null : "answered " + answer.status();
  }

  /** PING on the node: +PONG, or Redis asking for its password (it runs; auth is the app's). */
  private String redisProblem(SshTarget host, String url) {
    String port = url.substring(url.lastIndexOf(':') + 1);
    if (!port.matches("[0-9]{1,5}")) {
      throw Failures.invalidInput("a redis service URL ends in :PORT, was " + url);
    }
    String answer =
        node.tcpExchange(Failures.require("node", host), Integer.parseInt(port), "PING");
    return answer.equals("+PONG") || answer.startsWith("-NOAUTH")
        ? null
        : "answered PING with '" + answer + "', not Redis's +PONG";
  }

  @Override
  public PortsFree checkPortsFree(PortsCheck check) {
    SshTarget host = Failures.require("host", check.host());
    Set<Integer> listening = node.listeningPorts(host);
    List<String> taken = new ArrayList<>();
    new TreeMap<>(check.ports())
        .forEach(
            (name, port) -> {
              if (listening.contains(port)) {
                taken.add(name + " (" + port + ")");
              }
            });
    if (!taken.isEmpty()) {
      throw Failures.precondition(
          "ports the new services need are taken on "
              + host.host()
              + ": "
              + String.join(", ", taken)
              + "; choose other ports in the plan or free them");
    }
    return new PortsFree(host.host(), check.ports().values().stream().sorted().toList());
  }

  @Override
  public NodeStarted startNode(NodeProject project) {
    SshTarget host = Failures.require("host", project.host());
    String dir = directory(project.directory());
    String name = Failures.require("name", project.name());
    files.writeFile(
        host,
        dir + "/" + COMPOSE_FILE,
        Failures.require("composeYaml", project.composeYaml()),
        "0644");
    StringBuilder env = new StringBuilder();
    Map<String, String> values = new TreeMap<>();
    if (project.settings() != null) {
      values.putAll(project.settings());
    }
    if (project.secrets() != null) {
      for (Map.Entry<String, SecretRef> e : project.secrets().entrySet()) {
        values.put(e.getKey(), secrets.resolve(e.getValue()));
      }
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!ENV_KEY.matcher(e.getKey()).matches() || e.getValue().indexOf('\n') >= 0) {
        throw Failures.invalidInput(
            "env " + e.getKey() + " must be an upper-case name with a one-line value");
      }
      env.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    files.writeFile(host, dir + "/" + ENV_FILE, env.toString(), "0600");
    List<String> running = compose.composeUp(host, dir, name);
    return new NodeStarted(host.host(), name, running);
  }

  @Override
  public void stopNode(NodeProjectRef project) {
    SshTarget host = Failures.require("host", project.host());
    String dir = directory(project.directory());
    String name = Failures.require("name", project.name());
    if (compose.composeServices(host, dir, name).isPresent()) {
      compose.composeDown(host, dir, name);
    }
    files.removeFile(host, dir + "/" + ENV_FILE);
    files.removeFile(host, dir + "/" + COMPOSE_FILE);
  }

  @Override
  public ServicesStopped decommission(Decommission request) {
    SshTarget host = Failures.require("host", request.host());
    for (String unit : Failures.require("units", request.units())) {
      node.stopService(host, unit);
    }
    return new ServicesStopped(host.host(), request.units());
  }

  private static String directory(String dir) {
    Failures.require("directory", dir);
    if (!dir.startsWith("/")) {
      throw Failures.invalidInput("directory must be an absolute path, was " + dir);
    }
    return dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
  }
}
