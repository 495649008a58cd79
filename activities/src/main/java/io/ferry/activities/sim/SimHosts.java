package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.plan.SshTarget;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The hosts every simulated host capability (files, services, compose, containers, logs, pg_dump)
 * works on: their files, systemd services and compose projects, each change in the ledger. A
 * droplet's address refuses connections until the droplet is active. A host first touched without a
 * plan is taken for an app node: an env file ({@code *.env}) it was never told about reads as the
 * default app config, and restarting a unit it does not know creates it.
 */
final class SimHosts {

  private final SimWorld world;
  private final Map<String, Host> hosts = new TreeMap<>();

  static final class Host {
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

  record Project(String directory, List<String> services, List<String> images) {}

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

  /** A host as found before the run (not an app node taken on first touch). */
  Host seedHost(String address) {
    synchronized (world) {
      return hosts.computeIfAbsent(address, a -> new Host(a, false));
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

  /**
   * Connects, as SSH would: the address of a destroyed droplet refuses. Callers hold the world's
   * lock.
   */
  Host connect(SshTarget target) {
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

  void putFile(Host host, String path, HostFile file) {
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

  void putService(Host host, String service, String state) {
    host.services.put(service, state);
    world.ledger.put(new Resource("service", host.address + ":" + service, Map.of("state", state)));
  }
}
