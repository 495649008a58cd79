package io.ferry.activities.port;

import io.ferry.contract.K3sActivities.EdgeRef;

/**
 * The edge that fronts both stacks: a weighted upstream. Every change is validated before the
 * reload, and the config as it was before the first change is kept to be put back.
 */
public interface WeightedEdgePort {

  record Weights(int swarm, int k3s) {}

  Weights read(EdgeRef edge);

  /** Keeps the current config under {@code key} unless already kept; true when kept now. */
  boolean keep(EdgeRef edge, String key);

  /** Writes the weights, validates, reloads; a config that fails validation is put back. */
  void write(EdgeRef edge, Weights weights);

  /** Puts the config kept under {@code key} back and reloads; false when none is kept. */
  boolean restore(EdgeRef edge, String key);
}
