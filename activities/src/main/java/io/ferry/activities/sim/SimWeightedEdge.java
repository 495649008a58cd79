package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.WeightedEdgePort;
import io.ferry.contract.K3sActivities.EdgeRef;
import java.util.Map;
import java.util.TreeMap;

/** The edge proxy's weighted upstream: 100 % on Swarm until told otherwise; kept configs. */
final class SimWeightedEdge implements WeightedEdgePort {

  private final SimWorld world;
  private final Map<String, Weights> weights = new TreeMap<>();
  private final Map<String, Weights> kept = new TreeMap<>();

  SimWeightedEdge(SimWorld world) {
    this.world = world;
  }

  void seed(EdgeRef edge) {
    synchronized (world) {
      String id = id(edge);
      if (!weights.containsKey(id)) {
        set(id, new Weights(100, 0));
      }
    }
  }

  /** The share of traffic on K3s at any edge (the probe target routes by it). */
  int k3sShare() {
    synchronized (world) {
      return weights.values().stream().mapToInt(Weights::k3s).max().orElse(0);
    }
  }

  @Override
  public Weights read(EdgeRef edge) {
    synchronized (world) {
      return current(id(edge));
    }
  }

  @Override
  public boolean keep(EdgeRef edge, String key) {
    synchronized (world) {
      String id = id(edge);
      if (kept.containsKey(id + "#" + key)) {
        return false;
      }
      kept.put(id + "#" + key, current(id));
      return true;
    }
  }

  @Override
  public void write(EdgeRef edge, Weights w) {
    synchronized (world) {
      if (w.swarm() + w.k3s() != 100 || w.swarm() < 0 || w.k3s() < 0) {
        throw Failures.invalidInput("nginx: [emerg] invalid weights " + w);
      }
      set(id(edge), w);
    }
  }

  @Override
  public boolean restore(EdgeRef edge, String key) {
    synchronized (world) {
      String id = id(edge);
      Weights w = kept.remove(id + "#" + key);
      if (w == null) {
        return false;
      }
      set(id, w);
      return true;
    }
  }

  private Weights current(String id) {
    Weights w = weights.get(id);
    if (w == null) {
      throw Failures.notFound("no edge config at " + id);
    }
    return w;
  }

  private String id(EdgeRef edge) {
    return world.hosts.connect(edge.host()).address + ":" + edge.configFile();
  }

  private void set(String id, Weights w) {
    weights.put(id, w);
    world.ledger.put(
        new Resource("edge", id, Map.of("swarm", w.swarm() + "%", "kubernetes", w.k3s() + "%")));
  }
}
