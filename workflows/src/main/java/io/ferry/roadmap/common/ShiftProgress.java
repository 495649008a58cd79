package io.ferry.roadmap.common;

import io.ferry.contract.EdgeActivities.EdgeRouted;
import io.ferry.contract.TrafficActivities.AnalysisRound;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a running shift stands: the new backend's share, the failed public requests counted so far
 * against the budget, and each finished analysis window's verdict. Workflow state, shown in the
 * status while the shift runs.
 */
final class ShiftProgress {

  private final int budget;
  private final boolean counting;
  private final List<String> windows = new ArrayList<>();
  private int share;
  private String edge;
  private int publicRequests;
  private int publicFailed;

  ShiftProgress(int budget, List<String> publicUrls) {
    this.budget = budget;
    this.counting = !publicUrls.isEmpty();
  }

  /**
   * The edge now sends {@code newShare}; {@code routed} is what the edge step reported (null when
   * the step was skipped), with the public requests watched through its reload.
   */
  void shifted(int newShare, EdgeRouted routed) {
    share = newShare;
    if (routed != null) {
      edge = routed.summary();
      publicRequests += routed.watchedRequests();
      publicFailed += routed.watchedFailed();
    }
  }

  void counted(AnalysisRound round) {
    publicRequests += round.publicRequests();
    publicFailed += round.publicFailed();
  }

  /** The failed public requests the next round may still see; below zero when already spent. */
  int failuresAllowed() {
    return budget - publicFailed;
  }

  void window(String verdict) {
    windows.add(verdict);
  }

  List<String> windows() {
    return List.copyOf(windows);
  }

  String summary() {
    StringBuilder s = new StringBuilder("now ").append(share).append(" % on the new backend");
    if (edge != null) {
      s.append(" (").append(edge).append(')');
    }
    if (counting) {
      s.append("; ")
          .append(publicFailed)
          .append(" of ")
          .append(publicRequests)
          .append(" public requests failed (budget ")
          .append(budget)
          .append(')');
    }
    for (int i = 0; i < windows.size(); i++) {
      s.append("; window ").append(i + 1).append(": ").append(windows.get(i));
    }
    return s.toString();
  }
}
