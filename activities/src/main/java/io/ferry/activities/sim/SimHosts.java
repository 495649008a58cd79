package io.ferry.activities.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ferry.activities.Failures;
import io.ferry.activities.port.HostPort;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hosts with files, systemd services and compose projects. A droplet's address refuses connections
 * until the droplet is active. A host first touched without a plan is taken for an app node: an env
 * file ({@code *.env}) it was never told about reads as the default app config, and restarting a
 * unit it does not know creates it.
 */
final class SimHosts implements HostPort {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final SimWorld world;
  private final Map<String, Host> hosts = new TreeMap<>();

  private static final class Host {
    final String address;
    final boolean lazy;
    final Map<String, HostFile> files = new TreeMap<>();
    final Set<String> touchedPaths = new HashSet<>();
    final Map<String, String> services = new TreeMap<>();
    final Map<String, Project> projects = new TreeMap<>();

    Host(String address, boolean lazy) {
      this.address = address;
      this.lazy = lazy;
    }
  }

  private record Project(String directory, List<String> services, List<String> images) {}

  SimHosts(SimWorld world) {
    this.world = world;
  }

  /** An existing app node: its config file and running service (once). */
  void seedAppNode(String address, String configFile, String configContent, String service) {
    synchronized (world) {
      Host host = hosts.computeIfAbsent(address, a -> new Host(a, false));
      if (!host.touchedPaths.contains(configFile)) {
        putFile(host, configFile, new HostFile(configContent, "0640"));
      }
      if (!host.services.containsKey(service)) {
        putService(host, service, "active");
      }
    }
  }

  static String defaultAppConfig(String memoryStoreUrl, String postgresHost) {
    return "# orchestra API settings\n"
        + "APP_ENV=production\n"
        + "LOG_LEVEL=info\n"
        + "USE_WEAVIATE=false\n"
        + "USE_DRAGONFLY=true\n"
        + "ENABLE_MICRO_CACHE=false\n"
        + "DRAGONFLY_URL="
        + memoryStoreUrl
        + "\n"
        + "POSTGRES_DSN=postgresql://orchestrator@"
        + postgresHost
        + ":5432/orchestrator\n";
  }

  /** Connects, as SSH would: the address of a destroyed droplet refuses. */
  private Host connect(SshTarget target) {
    String address = Failures.require("host", target.host());
    if (world.compute.unreachable(address)) {
      throw new IllegalStateException(
          "ssh: connect to host " + address + " port " + target.port() + ": Connection refused");
    }
    return hosts.computeIfAbsent(address, a -> new Host(a, !world.compute.isDropletAddress(a)));
  }

  /** The host is gone (its droplet destroyed): everything on it leaves the ledger. */
  void forget(String address) {
    synchronized (world) {
      Host host = hosts.remove(address);
      if (host == null) {
        return;
      }
      host.files.keySet().forEach(path -> world.ledger.remove("file", address + ":" + path));
      host.services.keySet().forEach(s -> world.ledger.remove("service", address + ":" + s));
      host.projects.keySet().forEach(p -> world.ledger.remove("compose", address + ":" + p));
    }
  }

  /** Touches the host (a command such as pgbench runs there). */
  void reach(SshTarget target) {
    synchronized (world) {
      connect(target);
    }
  }

  /** Whether a compose project on the host runs a service whose image contains {@code image}. */
  boolean runsImage(String address, String image) {
    synchronized (world) {
      Host host = hosts.get(address);
      return host != null
          && host.projects.values().stream()
              .anyMatch(p -> p.images().stream().anyMatch(i -> i.contains(image)));
    }
  }

  @Override
  public Optional<HostFile> readFile(SshTarget target, String path) {
    synchronized (world) {
      Host host = connect(target);
      if (!host.files.containsKey(path)
          && host.lazy
          && !host.touchedPaths.contains(path)
          && path.endsWith(".env")) {
        putFile(
            host,
            path,
            new HostFile(defaultAppConfig("redis://10.120.0.9:6379/0", "10.120.0.5"), "0640"));
      }
      host.touchedPaths.add(path);
      return Optional.ofNullable(host.files.get(path));
    }
  }

  @Override
  public void writeFile(SshTarget target, String path, String content, String mode) {
    synchronized (world) {
      if (!path.startsWith("/")) {
        throw Failures.invalidInput("path must be absolute, was " + path);
      }
      putFile(connect(target), path, new HostFile(content, mode));
    }
  }

  @Override
  public boolean removeFile(SshTarget target, String path) {
    synchronized (world) {
      Host host = connect(target);
      host.touchedPaths.add(path);
      if (host.files.remove(path) == null) {
        return false;
      }
      world.ledger.remove("file", host.address + ":" + path);
      return true;
    }
  }

  @Override
  public void restartService(SshTarget target, String service) {
    synchronized (world) {
      Host host = connect(target);
      if (!host.services.containsKey(service)) {
        if (!host.lazy) {
          throw Failures.notFound("Unit " + service + ".service not found on " + host.address);
        }
        putService(host, service, "active");
      }
      String state = host.services.get(service);
      putService(host, service, "restarting");
      putService(
          host, service, "active".equals(state) || "restarting".equals(state) ? "active" : state);
    }
  }

  @Override
  public List<String> composeUp(SshTarget target, String directory, String project) {
    synchronized (world) {
      Host host = connect(target);
      HostFile file = host.files.get(directory + "/compose.yaml");
      if (file == null) {
        throw Failures.notFound("no compose.yaml in " + directory + " on " + host.address);
      }
      List<String> services = new ArrayList<>();
      List<String> images = new ArrayList<>();
      try {
        JsonNode root = YAML.readTree(file.content());
        JsonNode svc = root == null ? null : root.get("services");
        if (svc == null || !svc.isObject() || svc.isEmpty()) {
          throw Failures.invalidInput("compose.yaml in " + directory + " defines no services");
        }
        svc.fields()
            .forEachRemaining(
                e -> {
                  services.add(e.getKey());
                  JsonNode image = e.getValue().get("image");
                  if (image == null) {
                    throw Failures.invalidInput("service " + e.getKey() + " has no image");
                  }
                  images.add(image.asText());
                });
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw Failures.invalidInput(
            "compose.yaml in " + directory + " is not YAML: " + e.getOriginalMessage());
      }
      Project p = new Project(directory, List.copyOf(services), List.copyOf(images));
      host.projects.put(project, p);
      Map<String, String> a = new LinkedHashMap<>();
      a.put("directory", directory);
      a.put("services", String.join(",", services));
      a.put("images", String.join(",", images));
      a.put("state", "running");
      world.ledger.put(new Resource("compose", host.address + ":" + project, a));
      return p.services();
    }
  }

  @Override
  public Optional<List<String>> composeServices(
      SshTarget target, String directory, String project) {
    synchronized (world) {
      Project p = connect(target).projects.get(project);
      return p == null ? Optional.empty() : Optional.of(p.services());
    }
  }

  @Override
  public void composeDown(SshTarget target, String directory, String project) {
    synchronized (world) {
      Host host = connect(target);
      if (host.projects.remove(project) != null) {
        world.ledger.remove("compose", host.address + ":" + project);
      }
    }
  }

  private final java.util.Set<String> logins = new java.util.HashSet<>();

  @Override
  public void registryLogin(SshTarget target, String server, String user, String token) {
    synchronized (world) {
      Host host = connect(target);
      if (token == null || token.isBlank()) {
        throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
            "docker login " + server + " was refused: empty token",
            io.ferry.runbook.FailureTypes.AUTH);
      }
      logins.add(host.address + " " + server);
    }
  }

  @Override
  public String buildAndPush(SshTarget target, ImageBuildSpec build) {
    synchronized (world) {
      Host host = connect(target);
      String server = build.reference().substring(0, build.reference().indexOf('/'));
      if (!logins.contains(host.address + " " + server)) {
        throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
            "push of " + build.reference() + " denied: not logged in to " + server,
            io.ferry.runbook.FailureTypes.AUTH);
      }
      return world.registry.push(build.reference());
    }
  }

  @Override
  public CommandResult runContainer(
      SshTarget target, String image, List<String> command, Map<String, String> env) {
    synchronized (world) {
      connect(target);
      String rest = image.substring(image.indexOf('/') + 1);
      rest = rest.substring(rest.indexOf('/') + 1);
      int colon = rest.lastIndexOf(':');
      if (!world.registry.has(rest.substring(0, colon), rest.substring(colon + 1))) {
        return new CommandResult(125, "Unable to find image '" + image + "'");
      }
      return new CommandResult(0, "ran " + String.join(" ", command) + ": ok");
    }
  }

  @Override
  public LocalFile exportJournal(
      SshTarget target, List<String> units, java.time.Instant since, String localPath) {
    synchronized (world) {
      Host host = connect(target);
      StringBuilder journal = new StringBuilder();
      for (String unit : units) {
        journal
            .append("-- journal of ")
            .append(unit)
            .append(" on ")
            .append(host.address)
            .append(" --\n");
      }
      String sha = world.workerFiles.write(localPath, journal.toString());
      return new LocalFile(localPath, journal.length(), sha);
    }
  }

  @Override
  public LocalFile pgDump(
      SshTarget target, io.ferry.plan.PostgresTarget database, String password, String path) {
    synchronized (world) {
      Host host = connect(target);
      world.postgres.databaseSize(database, database.database());
      String content = "PGDMP " + database.host() + "/" + database.database();
      Map<String, String> a = new LinkedHashMap<>();
      a.put("sha256", SimWorld.sha256(content));
      a.put("bytes", Integer.toString(content.length()));
      a.put("mode", "0600");
      world.ledger.put(new Resource("file", host.address + ":" + path, a, true));
      return new LocalFile(path, content.length(), SimWorld.sha256(content));
    }
  }

  private void putFile(Host host, String path, HostFile file) {
    host.files.put(path, file);
    host.touchedPaths.add(path);
    Map<String, String> a = new LinkedHashMap<>();
    a.put("sha256", SimWorld.sha256(file.content()));
    a.put(
        "bytes",
        Integer.toString(file.content().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    a.put("mode", file.mode());
    world.ledger.put(new Resource("file", host.address + ":" + path, a));
  }

  private void putService(Host host, String service, String state) {
    host.services.put(service, state);
    world.ledger.put(new Resource("service", host.address + ":" + service, Map.of("state", state)));
  }
}
