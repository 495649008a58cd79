package io.ferry.roadmap.k3s;

import io.ferry.plan.Checked;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.roadmap.common.ShiftPlan;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Swarm-to-K3s move: the deployment repository, the cluster's nodes, the services in priority
 * order, the edge that fronts both stacks and its shift, and the Swarm stacks that go at the end.
 */
public record K3sPlan(
    String roadmap,
    String name,
    FailurePolicy failurePolicy,
    Repository repository,
    Cluster cluster,
    Deploy deploy,
    K3sEdgePlan edge,
    ShiftPlan shift,
    Swarm swarm,
    Duration soak,
    Map<String, GatePolicy> gates)
    implements Plan {

  public static final String ROADMAP = "k3s";

  static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,51}[a-z0-9])?");
  static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+\\+k3s\\d+");
  private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._*?/\\[\\]-]+");

  /** An http(s) URL of a host and path: nothing a shell, a log line or a probe could misread. */
  static final Pattern URL =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:\\d{1,5})?(/[A-Za-z0-9._~/%+=-]*)?");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public K3sPlan {
    failurePolicy = failurePolicy == null ? FailurePolicy.ROLLBACK : failurePolicy;
    soak = soak == null ? Duration.ofDays(7) : soak;
    shift = shift == null ? ShiftPlan.defaults() : shift;
    gates = gates == null ? Map.of() : new LinkedHashMap<>(gates);
  }

  @Override
  public void check(PlanChecks c) {
    checkCommon(c, ROADMAP, K3sRoadmap.ROADMAP.gateIds());
    c.nested("repository", repository);
    c.nested("cluster", cluster);
    c.nested("deploy", deploy);
    if (c.required("edge", edge)) {
      c.nested("edge", edge);
    }
    c.nested("shift", shift);
    c.nested("swarm", swarm);
    c.positive("soak", soak);
  }

  static void globs(PlanChecks c, String field, List<String> globs) {
    for (int i = 0; i < globs.size(); i++) {
      String g = globs.get(i);
      c.matches(field + "[" + i + "]", g, GLOB, "a relative glob of letters, digits, . _ - / * ?");
      if (g != null && (g.startsWith("/") || g.startsWith("-") || g.contains(".."))) {
        c.problem(field + "[" + i + "]", "must be relative to the repository, was " + g);
      }
    }
  }

  /**
   * The deployment repository on a host: legacy files archived, obsolete ones moved aside.
   *
   * @param maxRootFiles phase 1's criterion: fewer files than this left in the root
   */
  public record Repository(
      SshTarget host,
      String path,
      List<String> archive,
      List<String> exclude,
      List<String> obsolete,
      Integer maxRootFiles)
      implements Checked {

    public Repository {
      archive =
          archive == null
              ? List.of("docker-compose*.yml", "scripts/deploy_*.sh", "scripts/deploy_*.py")
              : List.copyOf(archive);
      exclude =
          exclude == null
              ? List.of(
                  "docs/MEMORY_ECOSYSTEM_*.md",
                  "backend/services/*memory*.py",
                  "backend/services/*rag*.py")
              : List.copyOf(exclude);
      obsolete = obsolete == null ? List.of("*.backup", "*.old", "*_deprecated*") : obsolete;
      maxRootFiles = maxRootFiles == null ? 100 : maxRootFiles;
    }

    @Override
    public void check(PlanChecks c) {
      c.nested("host", host);
      if (c.required("path", path)) {
        c.absolutePath("path", path);
      }
      globs(c, "archive", archive);
      globs(c, "exclude", exclude);
      globs(c, "obsolete", obsolete);
      c.range("maxRootFiles", maxRootFiles, 1, 100_000);
    }
  }

  /**
   * The K3s cluster: the master (server with {@code --cluster-init}) and the nodes that join it.
   *
   * @param token reference to the cluster's shared secret, passed to the server as {@code --token}
   * @param installer {@code uploadFrom} (a file on the worker) or {@code url} (the hosts fetch it)
   * @param devicePlugin the NVIDIA device plugin manifest, a file on the worker
   */
  public record Cluster(
      String version,
      Installer installer,
      SecretRef token,
      Node master,
      List<Node> nodes,
      String devicePlugin,
      Duration readyTimeout)
      implements Checked {

    public Cluster {
      nodes = nodes == null ? List.of() : List.copyOf(nodes);
      readyTimeout = readyTimeout == null ? Duration.ofMinutes(10) : readyTimeout;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("version", version)) {
        c.matches("version", version, VERSION, "a pinned K3s release such as v1.29.4+k3s1");
      }
      if (c.required("installer", installer)) {
        c.nested("installer", installer);
      }
      c.secret("token", token, true);
      if (c.required("master", master)) {
        c.nested("master", master);
        if (master.role() != null && !master.role().equals("server")) {
          c.problem("master.role", "the master is always a server; leave role out");
        }
      }
      c.each("nodes", nodes);
      Set<String> names = new HashSet<>();
      if (master != null && master.name() != null) {
        names.add(master.name());
      }
      for (int i = 0; i < nodes.size(); i++) {
        Node n = nodes.get(i);
        if (n != null && n.name() != null && !names.add(n.name())) {
          c.problem("nodes[" + i + "].name", "'" + n.name() + "' names two nodes");
        }
      }
      boolean gpus =
          (master != null && master.gpu()) || nodes.stream().anyMatch(n -> n != null && n.gpu());
      if (gpus && c.required("devicePlugin", devicePlugin)) {
        c.absolutePath("devicePlugin", devicePlugin);
      }
      c.positive("readyTimeout", readyTimeout);
    }

    /** Every node the cluster should list, the master first. */
    public List<Node> all() {
      List<Node> all = new java.util.ArrayList<>();
      all.add(master);
      all.addAll(nodes);
      return all;
    }
  }

  /** Exactly one source of the K3s installer script. */
  public record Installer(String uploadFrom, String url) implements Checked {
    @Override
    public void check(PlanChecks c) {
      if ((uploadFrom == null) == (url == null)) {
        c.problem(
            "",
            "name exactly one of uploadFrom (the install script on the worker, for hosts without"
                + " internet) and url (where the hosts download it)");
      }
      c.absolutePath("uploadFrom", uploadFrom);
      if (url != null && !url.matches("https://[A-Za-z0-9.-]+(:\\d+)?(/[A-Za-z0-9._~/+-]*)?")) {
        c.problem("url", "must be an https:// URL without query or spaces, was " + url);
      }
    }
  }

  /**
   * A cluster node and how the worker reaches it.
   *
   * @param role {@code agent} (default) or {@code server} for a node that joins
   * @param address where the other nodes reach it (default: ssh.host)
   * @param gpu whether {@code nvidia.com/gpu} must be allocatable on it
   */
  public record Node(String name, String role, SshTarget ssh, String address, Boolean gpu)
      implements Checked {

    public Node {
      gpu = gpu != null && gpu;
    }

    public String roleOrDefault() {
      return role == null ? "agent" : role;
    }

    public String addressOrHost() {
      return address != null ? address : ssh == null ? null : ssh.host();
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("name", name)) {
        c.matches("name", name, K8S_NAME, "a Kubernetes node name (a-z, 0-9, -)");
      }
      if (role != null) {
        c.oneOf("role", role, List.of("agent", "server"));
      }
      if (c.required("ssh", ssh)) {
        c.nested("ssh", ssh);
      }
      if (address != null) {
        c.host("address", address);
      }
    }
  }

  /**
   * The services, in the order they deploy (the seed's priority: memory services, backend, MCP
   * servers, frontend, data services), each a Helm release of a chart in the repository.
   *
   * @param target the whole deployment's time budget (the seed's 15 minutes)
   */
  public record Deploy(
      String namespace,
      String imageTag,
      List<Service> services,
      Duration rolloutTimeout,
      Duration target)
      implements Checked {

    public Deploy {
      namespace = namespace == null ? "default" : namespace;
      services = services == null ? List.of() : List.copyOf(services);
      rolloutTimeout = rolloutTimeout == null ? Duration.ofMinutes(5) : rolloutTimeout;
      target = target == null ? Duration.ofMinutes(15) : target;
    }

    @Override
    public void check(PlanChecks c) {
      c.matches("namespace", namespace, K8S_NAME, "a Kubernetes namespace name");
      if (c.required("imageTag", imageTag)) {
        c.matches("imageTag", imageTag, TAG, "an image tag (letters, digits, . _ -)");
        if ("latest".equals(imageTag)) {
          c.problem("imageTag", "must pin a build (a commit sha or version), not 'latest'");
        }
      }
      if (c.required("services", services) && services.isEmpty()) {
        c.problem("services", "name at least one service to deploy");
      }
      c.each("services", services);
      Set<String> releases = new HashSet<>();
      for (int i = 0; i < services.size(); i++) {
        Service s = services.get(i);
        if (s != null && s.release() != null && !releases.add(s.release())) {
          c.problem("services[" + i + "].release", "'" + s.release() + "' is deployed twice");
        }
      }
      c.positive("rolloutTimeout", rolloutTimeout);
      c.positive("target", target);
    }
  }

  /**
   * One Helm release.
   *
   * @param chart path of the chart on the master (absolute, or relative to the repository)
   * @param health URL answering {@code healthStatus} once the service is up
   */
  public record Service(String release, String chart, String health, Integer healthStatus)
      implements Checked {

    public Service {
      healthStatus = healthStatus == null ? 200 : healthStatus;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("release", release)) {
        c.matches("release", release, K8S_NAME, "a Helm release name (a-z, 0-9, -)");
      }
      if (c.required("chart", chart)) {
        c.matches("chart", chart, GLOB, "a chart path of letters, digits, . _ - /");
        if (chart.startsWith("-") || chart.contains("..")) {
          c.problem("chart", "must not start with '-' or contain '..', was " + chart);
        }
      }
      if (c.required("health", health)) {
        c.matches("health", health, URL, "an http(s):// URL of a host, port and path");
      }
      c.range("healthStatus", healthStatus, 100, 599);
    }
  }

  /**
   * The Swarm side, removed at the end.
   *
   * @param composeFiles globs of the compose files archived after the stacks go
   */
  public record Swarm(SshTarget manager, List<String> stacks, List<String> composeFiles)
      implements Checked {

    public Swarm {
      stacks = stacks == null ? List.of() : List.copyOf(stacks);
      composeFiles = composeFiles == null ? List.of("docker-compose*.yml") : composeFiles;
    }

    @Override
    public void check(PlanChecks c) {
      if (c.required("manager", manager)) {
        c.nested("manager", manager);
      }
      if (c.required("stacks", stacks) && stacks.isEmpty()) {
        c.problem("stacks", "name the Swarm stacks the cluster replaces");
      }
      for (int i = 0; i < stacks.size(); i++) {
        c.matches("stacks[" + i + "]", stacks.get(i), K8S_NAME, "a stack name (a-z, 0-9, -)");
      }
      globs(c, "composeFiles", composeFiles);
    }
  }
}
