package io.ferry.activities.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.ferry.activities.Failures;
import io.ferry.activities.port.K3sNodesPort;
import io.ferry.activities.port.KubernetesPort;
import io.ferry.plan.SshTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * K3s on the simulated hosts and the cluster they form: a server install makes a cluster at the
 * host's address, with its token and kubeconfig on the host; a node joins only with that token;
 * nodes are NotReady for a few polls before Ready; GPU hosts show {@code nvidia.com/gpu} once the
 * device plugin's DaemonSet exists. Helm releases live in {@link SimHelm}.
 */
final class SimK3sCluster implements K3sNodesPort, KubernetesPort {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SERVER = Pattern.compile("server:\\s*https://([^:\\s]+):6443");
  private static final int POLLS_BEFORE_READY = 2;
  static final String DEVICE_PLUGIN = "DaemonSet/nvidia-device-plugin-daemonset";

  private final SimWorld world;

  /** host address -> its K3s. */
  private final Map<String, Node> installs = new TreeMap<>();

  /** cluster (server address) -> its state. */
  final Map<String, Cluster> clusters = new TreeMap<>();

  /** Hosts with a GPU (seeded from the plan). */
  private final Set<String> gpuHosts = new HashSet<>();

  /** Node names that never become Ready (a knob). */
  private final Set<String> neverReady = new HashSet<>();

  record Node(String name, String role, String version, String owner, String cluster) {}

  static final class Cluster {
    final String address;
    final String token;
    final Map<String, Integer> nodePolls = new TreeMap<>();
    final Map<String, String> nodeHosts = new TreeMap<>();
    final Map<String, String> objects = new TreeMap<>();

    Cluster(String address, String token) {
      this.address = address;
      this.token = token;
    }

    String joinToken() {
      return "K10" + SimWorld.sha256(token).substring(0, 40) + "::server:" + token;
    }
  }

  SimK3sCluster(SimWorld world) {
    this.world = world;
  }

  void seedGpuHost(String address) {
    synchronized (world) {
      gpuHosts.add(address);
    }
  }

  void neverReady(String node) {
    synchronized (world) {
      neverReady.add(node);
    }
  }

  // ---------------------------------------------------------------- nodes over SSH

  @Override
  public Optional<Installed> installed(SshTarget host) {
    synchronized (world) {
      Node n = installs.get(world.hosts.connect(host).address);
      return n == null ? Optional.empty() : Optional.of(new Installed(n.version(), n.owner()));
    }
  }

  @Override
  public void install(SshTarget host, K3sInstall install, String owner) {
    synchronized (world) {
      String address = world.hosts.connect(host).address;
      if (install.installer().script() == null && install.installer().url() == null) {
        throw Failures.invalidInput("no installer script or URL");
      }
      Cluster cluster;
      if (install.server() == null) {
        cluster = new Cluster(address, install.token());
        clusters.put(address, cluster);
        world.ledger.put(
            new Resource("cluster", address, Map.of("api", "https://" + address + ":6443")));
      } else {
        Matcher m = Pattern.compile("https://([^:]+):6443").matcher(install.server());
        cluster = m.matches() ? clusters.get(m.group(1)) : null;
        if (cluster == null) {
          throw new IllegalStateException(
              "K3s agent on " + address + ": cannot reach " + install.server());
        }
        if (!cluster.joinToken().equals(install.token())) {
          throw Failures.precondition("K3s on " + address + ": the join token was refused");
        }
      }
      installs.put(
          address,
          new Node(install.nodeName(), install.role(), install.version(), owner, cluster.address));
      cluster.nodePolls.put(install.nodeName(), 0);
      cluster.nodeHosts.put(install.nodeName(), address);
      Map<String, String> a = new LinkedHashMap<>();
      a.put("node", install.nodeName());
      a.put("role", install.role());
      a.put("version", install.version());
      a.put(
          "installer", install.installer().url() != null ? install.installer().url() : "uploaded");
      world.ledger.put(new Resource("installed-k3s", address, a));
      world.ledger.put(nodeResource(cluster, install.nodeName(), "NotReady"));
    }
  }

  @Override
  public boolean uninstall(SshTarget host) {
    synchronized (world) {
      String address = world.hosts.connect(host).address;
      Node n = installs.remove(address);
      if (n == null) {
        return false;
      }
      world.ledger.remove("installed-k3s", address);
      Cluster cluster = clusters.get(n.cluster());
      if (cluster != null
          && cluster.address.equals(address)
          && n.role().equals("server")
          && clusters.get(address) == cluster) {
        // the first server goes: so does its cluster and everything in it
        cluster.nodePolls.keySet().forEach(name -> world.ledger.remove("k8s-node", name));
        cluster.objects.keySet().forEach(o -> world.ledger.remove("k8s-object", o));
        clusters.remove(address);
        world.ledger.remove("cluster", address);
        world.k3sWorld.helm.clusterGone(address);
      }
      return true;
    }
  }

  @Override
  public String readJoinToken(SshTarget master) {
    synchronized (world) {
      return clusterOn(master).joinToken() + "\n";
    }
  }

  @Override
  public String readKubeconfig(SshTarget master) {
    synchronized (world) {
      Cluster c = clusterOn(master);
      return "apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n"
          + "  name: default\ncontexts:\n- context:\n    cluster: default\n    user: default\n"
          + "  name: default\ncurrent-context: default\nkind: Config\nusers:\n- name: default\n"
          + "  user:\n    username: admin\n    password: "
          + c.token
          + "\n";
    }
  }

  private Cluster clusterOn(SshTarget master) {
    String address = world.hosts.connect(master).address;
    Cluster c = clusters.get(address);
    if (c == null) {
      throw Failures.notFound("no K3s server on " + address);
    }
    return c;
  }

  // ---------------------------------------------------------------- the API

  /** The cluster a kubeconfig points at; a local address here means it was never rewritten. */
  Cluster connect(String kubeconfig) {
    Matcher m = SERVER.matcher(kubeconfig == null ? "" : kubeconfig);
    if (!m.find()) {
      throw Failures.invalidInput("kubeconfig names no server");
    }
    Cluster c = clusters.get(m.group(1));
    if (c == null || !kubeconfig.contains("password: " + c.token)) {
      throw new IllegalStateException(
          "Get \"https://" + m.group(1) + ":6443/api\": dial tcp: connection refused");
    }
    return c;
  }

  @Override
  public List<NodeState> nodes(String kubeconfig) {
    synchronized (world) {
      Cluster c = connect(kubeconfig);
      List<NodeState> out = new ArrayList<>();
      for (Map.Entry<String, Integer> e : c.nodePolls.entrySet()) {
        String name = e.getKey();
        int polls = e.getValue() + 1;
        c.nodePolls.put(name, polls);
        boolean ready = polls > POLLS_BEFORE_READY && !neverReady.contains(name);
        if (ready) {
          world.ledger.put(nodeResource(c, name, "Ready"));
        }
        boolean gpu =
            ready
                && gpuHosts.contains(c.nodeHosts.get(name))
                && c.objects.containsKey(DEVICE_PLUGIN);
        out.add(
            new NodeState(
                name, ready, gpu ? 1 : 0, ready ? null : "KubeletNotReady: PLEG is not healthy"));
      }
      return out;
    }
  }

  @Override
  public boolean drainAndDelete(String kubeconfig, String node) {
    synchronized (world) {
      Cluster c = connect(kubeconfig);
      if (c.nodePolls.remove(node) == null) {
        return false;
      }
      c.nodeHosts.remove(node);
      world.ledger.remove("k8s-node", node);
      return true;
    }
  }

  @Override
  public List<String> apply(String kubeconfig, String manifest) {
    synchronized (world) {
      Cluster c = connect(kubeconfig);
      List<String> objects = objectsIn(manifest);
      for (String o : objects) {
        c.objects.put(o, SimWorld.sha256(manifest));
        world.ledger.put(new Resource("k8s-object", o, Map.of("cluster", c.address)));
      }
      return objects;
    }
  }

  @Override
  public List<String> delete(String kubeconfig, String manifest) {
    synchronized (world) {
      Cluster c = connect(kubeconfig);
      List<String> deleted = new ArrayList<>();
      for (String o : objectsIn(manifest)) {
        if (c.objects.remove(o) != null) {
          world.ledger.remove("k8s-object", o);
          deleted.add(o);
        }
      }
      return deleted;
    }
  }

  @Override
  public Rollout rollout(String kubeconfig, String namespace, String release) {
    synchronized (world) {
      connect(kubeconfig);
      return world.k3sWorld.helm.rollout(namespace, release);
    }
  }

  private static Resource nodeResource(Cluster c, String name, String state) {
    return new Resource(
        "k8s-node",
        name,
        Map.of("cluster", c.address, "host", c.nodeHosts.get(name), "state", state));
  }

  private static List<String> objectsIn(String manifest) {
    List<String> out = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || !doc.has("kind")) {
          continue;
        }
        out.add(doc.get("kind").asText() + "/" + doc.path("metadata").path("name").asText());
      }
    } catch (IOException e) {
      throw Failures.invalidInput("the manifest is not YAML: " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw Failures.invalidInput("the manifest holds no Kubernetes objects");
    }
    return out;
  }
}
