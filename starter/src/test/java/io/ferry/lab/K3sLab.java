package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * k3s in the lab: per cluster a master (sshd, the deployment repository under /opt, the K3s
 * installer's files in its own /etc and /var/lib, helm as a script, the Kubernetes API as fabric8's
 * mock server, nginx answering as the services' NodePorts) and a GPU worker; a Swarm manager (nginx
 * as the Swarm service, docker stack as a script) and the edge (real nginx, whose site Ferry
 * rewrites with weighted upstreams). The crash trial gets a cluster of its own, since the happy run
 * leaves K3s installed. The rollback run makes the K3s service answer 503 during the shift.
 */
final class K3sLab implements LabScenario {

  private static final String REPO = "/opt/sophia-main";
  private static final String SITE = "/opt/nginx-sites/sophia.conf";
  private static final String VERSION = "v1.29.4+k3s1";

  /** A master and a worker with their own API; the crash trial's is "b". */
  private record Cluster(LabHost master, LabHost worker) {}

  private Lab lab;
  private Services services;
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();
  private LabHost edge;
  private LabHost swarm;
  private Path clientKey;
  private Path knownHosts;
  private Path clusterToken;
  private Path apiToken;
  private Path nodeTokens;
  private Path installer;
  private Path devicePlugin;
  private Path edgeConfig;

  @Override
  public String roadmap() {
    return "k3s";
  }

  @Override
  public void build(Lab lab, Services services, DigitalOceanStandIn cloud) {
    this.lab = lab;
    this.services = services;
    clientKey = services.clientKey();
    knownHosts = services.knownHosts();
    clusterToken = services.secret("k3s_cluster_token");
    apiToken = services.secret("k3s_api_token");
    swarm = lab.host("k3swarm", 75);
    edge = lab.host("k3edge", 76);
    services.sshd(swarm, null);
    K3sLabTools.swarm(swarm);
    services.nginx(swarm, responder(swarm.address(), 8001, "swarm", null));
    services.sshd(edge, null);
    clusters.put("a", cluster("a", 71));
    clusters.put("b", cluster("b", 73));
    try {
      Path worker = lab.dir.resolve("k3s-worker-files");
      Files.createDirectories(worker);
      installer = worker.resolve("install.sh");
      Files.writeString(installer, K3sLabTools.INSTALLER);
      devicePlugin = worker.resolve("nvidia-device-plugin.yml");
      Files.writeString(devicePlugin, DEVICE_PLUGIN);
      // the join tokens the masters will hold (K10<hash>::server:<token>), for the leak search
      nodeTokens = worker.resolve("node-tokens");
      StringBuilder tokens = new StringBuilder();
      for (Cluster c : clusters.values()) {
        tokens.append(nodeToken(c.master().name())).append('\n');
      }
      Files.writeString(nodeTokens, tokens);
      // the edge fronts Swarm before the run: Ferry replaces this site, a rollback puts it back
      Path sites = edge.opt().resolve("nginx-sites");
      Files.createDirectories(sites);
      Files.writeString(
          sites.resolve("sophia.conf"),
          "server { listen 80; location / { proxy_pass http://" + swarm.address() + ":8001; } }\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    services.nginx(edge, "include " + edge.opt().resolve("nginx-sites") + "/*.conf;");
    edgeConfig = edge.dir().resolve("nginx/nginx.conf");
    Services.awaitPort(edge.address(), 80);
    Services.awaitPort(swarm.address(), 8001);
    for (Cluster c : clusters.values()) {
      Services.awaitPort(c.master().address(), 6443, 120); // a JVM starting on a loaded machine
    }
  }

  private Cluster cluster(String id, int octet) {
    LabHost master = lab.host("k3m" + id, octet);
    LabHost worker = lab.host("k3w" + id, octet + 1);
    for (LabHost h : List.of(master, worker)) {
      services.sshd(h, null, overlays(h));
      K3sLabTools.cluster(h, apiToken, h == worker ? 1 : 0);
    }
    K3sLabTools.helm(master);
    repository(master);
    swarmStack();
    services.nginx(
        master,
        responder(master.address(), 30801, "k3s backend", failFile(master))
            + responder(master.address(), 30300, "k3s frontend", null));
    lab.start(
        "kubernetes API stand-in on " + master.name(),
        Cmd.in(
            master.namespace(),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx160m",
            "-cp",
            System.getProperty("java.class.path"),
            K3sApiStandInServer.class.getName(),
            "6443"),
        master.dir().resolve("kubernetes-api.log"));
    return new Cluster(master, worker);
  }

  /** K3s writes /etc/rancher and /var/lib/rancher: each host's own, as overlays in sshd's view. */
  private static String overlays(LabHost host) {
    StringBuilder s = new StringBuilder();
    for (String[] d : new String[][] {{"/etc", "etc"}, {"/var/lib", "var-lib"}}) {
      Path o = host.dir().resolve("overlay").resolve(d[1]);
      try {
        Files.createDirectories(o.resolve("upper"));
        Files.createDirectories(o.resolve("work"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      s.append(" && mount -t overlay overlay -o lowerdir=")
          .append(d[0])
          .append(",upperdir=")
          .append(o.resolve("upper"))
          .append(",workdir=")
          .append(o.resolve("work"))
          .append(' ')
          .append(d[0]);
    }
    return s.toString();
  }

  private static Path failFile(LabHost master) {
    return master.dir().resolve("k3s-backend-failing");
  }

  private static String responder(String address, int port, String what, Path failIf) {
    // a failing K3s answers 503 on its API while its health endpoint still answers
    String api =
        failIf == null
            ? ""
            : " location /api/ { if (-f "
                + failIf
                + ") { return 503 \""
                + what
                + " failing\\n\"; } return 200 \""
                + what
                + "\\n\"; }";
    return "server { listen "
        + address
        + ":"
        + port
        + ";"
        + api
        + " location / { return 200 \""
        + what
        + "\\n\"; } }\n";
  }

  /** The deployment repository as the seed finds it: compose files, deploy scripts, leftovers. */
  private static void repository(LabHost host) {
    Path repo = host.opt().resolve("sophia-main");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("README.md", "# sophia\n");
    files.put("docker-compose.yml", "services:\n  backend:\n    image: sophia/backend\n");
    files.put("docker-compose.prod.yml", "services:\n  frontend:\n    image: sophia/frontend\n");
    files.put(
        "scripts/deploy_backend.sh", "#!/bin/sh\ndocker stack deploy -c docker-compose.yml\n");
    files.put("scripts/deploy_ai.py", "print('deploy')\n");
    files.put("docs/MEMORY_ECOSYSTEM_v2.md", "memory notes\n");
    files.put("nginx.conf.backup", "old\n");
    files.put("deploy.sh.old", "old\n");
    files.put("backend_deprecated.py", "old\n");
    for (String chart : List.of("backend", "frontend")) {
      String dir = "kubernetes/helm/sophia-platform/charts/" + chart + "/";
      files.put(dir + "Chart.yaml", "apiVersion: v2\nname: " + chart + "\nversion: 0.1.0\n");
      files.put(dir + "values.yaml", "replicaCount: 2\n");
    }
    try {
      for (var f : files.entrySet()) {
        Path p = repo.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
      }
      Cmd.ok("chmod", "-R", "u+rwX,go+rX", repo.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Swarm stack the decommission removes (put back for each run that needs it). */
  private void swarmStack() {
    try {
      Files.writeString(
          swarm.dir().resolve("usr-local/var/docker/stacks/sophia"), "backend\nfrontend\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String nodeToken(String masterName) {
    String hash = Cmd.ok("sh", "-c", "printf '%s' \"$0\" | sha256sum | cut -c1-64", masterName);
    return "K10" + hash.strip() + "::server:" + Services.read(clusterToken);
  }

  /** An SSH target's fields, each line indented by {@code indent} spaces. */
  private String ssh(LabHost h, int indent) {
    String pad = " ".repeat(indent);
    return pad
        + "host: "
        + h.address()
        + "\n"
        + pad
        + "user: root\n"
        + pad
        + "privateKey: file:"
        + clientKey
        + "\n"
        + pad
        + "knownHosts: "
        + knownHosts;
  }

  @Override
  public String plan(String name) {
    Cluster c = clusters.get(name.equals(LabTest.Mode.CRASH.planName) ? "b" : "a");
    swarmStack();
    LabHost m = c.master();
    return """
        roadmap: k3s
        name: %1$s
        repository:
          host:
        %2$s
          path: %3$s
          maxRootFiles: 10
        cluster:
          version: %4$s
          installer:
            uploadFrom: %5$s
          token: file:%6$s
          master:
            name: %7$s
            ssh:
        %8$s
          nodes:
            - name: %9$s
              gpu: true
              ssh:
        %10$s
          devicePlugin: %11$s
          readyTimeout: 1m
        deploy:
          namespace: sophia
          imageTag: 3f2c1ab
          rolloutTimeout: 1m
          services:
            - release: backend
              chart: kubernetes/helm/sophia-platform/charts/backend
              health: http://%12$s:30801/health
            - release: frontend
              chart: kubernetes/helm/sophia-platform/charts/frontend
              health: http://%12$s:30300/
        edge:
          host:
        %13$s
          sitePath: %14$s
          mainConfig: %15$s
          swarmBackend: %16$s:8001
          k3sBackend: %12$s:30801
          publicUrl: http://%17$s/api/status
          swarmUrl: http://%16$s:8001/api/status
          k3sUrl: http://%12$s:30801/api/status
        shift:
          steps: [50, 100]
          window: 2s
          interval: 1s
          requests: 3
        swarm:
          manager:
        %18$s
          stacks: [sophia]
        soak: 1h
        """
        .formatted(
            name,
            ssh(m, 4),
            REPO,
            VERSION,
            installer,
            clusterToken,
            m.name(),
            ssh(m, 6),
            c.worker().name(),
            ssh(c.worker(), 8),
            devicePlugin,
            m.address(),
            ssh(edge, 4),
            SITE,
            edgeConfig,
            swarm.address(),
            edge.address(),
            ssh(swarm, 4));
  }

  @Override
  public List<String> workerOptions() {
    // the worker's own state (the cluster's secrets) inside the lab, not the machine's /var/lib
    return List.of("--state-dir", lab.dir.resolve("worker-state").toString());
  }

  @Override
  public Map<String, Path> postgres() {
    return Map.of();
  }

  @Override
  public Map<String, Path> redis() {
    return Map.of();
  }

  @Override
  public Stop stop() {
    return null;
  }

  @Override
  public Rollback rollback() {
    return Rollback.answering503While(
        "analyze-traffic",
        "the new backend answered 0.0 % ok",
        failFile(clusters.get("a").master()));
  }

  @Override
  public List<String> kept() {
    // the dated tarball and its checksum are kept on purpose (the seed's phase 1)
    return List.of(
        "k3ma:/opt/sophia-main/archive (", "k3ma:/opt/sophia-main/archive/deployment-archive-");
  }

  @Override
  public String crashStep() {
    return "deploy-services";
  }

  @Override
  public Map<String, String> touched() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("archive-legacy", "real: OpenSSH, sh, tar, sha256sum, mv on the repository's files");
    t.put("check-repository-root", "real: OpenSSH, find on the repository");
    t.put("install-k3s-server", "real: OpenSSH, sftp upload, sh; stand-in: the K3s installer");
    t.put("read-cluster-secrets", "real: OpenSSH, cat, the worker's 0600 secret store");
    t.put("join-workers", "real: OpenSSH, sh; stand-in: the K3s installer (agent join)");
    t.put("wait-nodes-ready", "stand-in: Kubernetes API (fabric8 mock server, HTTPS)");
    t.put("apply-device-plugin", "stand-in: Kubernetes API (fabric8 mock server)");
    t.put("verify-gpus", "stand-in: Kubernetes API (fabric8 mock server)");
    t.put("deploy-services", "real: OpenSSH, HTTP health checks to nginx; stand-in: helm, API");
    t.put("route-test-users", "real: nginx (site written, nginx -t, reload) over OpenSSH");
    t.put("shift-traffic", "real: nginx weighted upstreams over OpenSSH");
    t.put("analyze-traffic", "real: HTTP probes through nginx to the Swarm and K3s responders");
    t.put("decommission-swarm", "real: OpenSSH, mv of compose files; stand-in: docker stack rm");
    return t;
  }

  @Override
  public List<Path> secrets() {
    return List.of(clientKey, clusterToken, apiToken, nodeTokens);
  }

  /** Files the worker's secret store still holds (the join token, the kubeconfig). */
  @Override
  public List<String> leftAfterRun() {
    Path store = lab.dir.resolve("worker-state/cluster-secrets");
    if (!Files.exists(store)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(store)) {
      return new ArrayList<>(walk.filter(Files::isRegularFile).map(Path::toString).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String DEVICE_PLUGIN =
      """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: nvidia-device-plugin-daemonset
        namespace: kube-system
      spec:
        selector:
          matchLabels:
            name: nvidia-device-plugin-ds
        template:
          metadata:
            labels:
              name: nvidia-device-plugin-ds
          spec:
            tolerations:
              - key: nvidia.com/gpu
                operator: Exists
                effect: NoSchedule
            containers:
              - image: nvcr.io/nvidia/k8s-device-plugin:v0.14.0
                name: nvidia-device-plugin-ctr
      """;
}
