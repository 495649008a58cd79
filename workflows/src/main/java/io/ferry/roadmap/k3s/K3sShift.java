package io.ferry.roadmap.k3s;

import static io.ferry.roadmap.k3s.K3sSteps.APPROVE_SHIFT;
import static io.ferry.roadmap.k3s.K3sSteps.READ_EDGE;
import static io.ferry.roadmap.k3s.K3sSteps.SHIFT_TRAFFIC;

import io.ferry.contract.K3sActivities;
import io.ferry.contract.K3sActivities.Analysis;
import io.ferry.contract.K3sActivities.AnalysisRequest;
import io.ferry.contract.K3sActivities.EdgeChange;
import io.ferry.contract.K3sActivities.EdgeRef;
import io.ferry.contract.K3sActivities.EdgeWeights;
import io.ferry.runbook.Runbook;
import io.ferry.runbook.Summarized;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The weighted shift from Swarm to K3s at the edge: a gate, the edge's weights read, then each
 * step's weight set and analysed. A failed analysis, or public failures past the budget, fails the
 * step, whose undo puts the edge's previous config (100 % on Swarm) back before anything else is
 * undone. Kept behind this one entry point so a shared shift can replace it.
 */
final class K3sShift {

  private final K3sShiftPlan shift;

  K3sShift(K3sShiftPlan shift) {
    this.shift = shift;
  }

  void run(Runbook runbook) {
    runbook.gate(APPROVE_SHIFT);
    EdgeRef edge =
        new EdgeRef(
            shift.edge(),
            shift.configFile(),
            shift.upstream(),
            shift.swarmBackend(),
            shift.k3sBackend());
    EdgeWeights start = runbook.check(READ_EDGE, K3sActivities.class, k3s -> k3s.readEdge(edge));
    String key = Workflow.getInfo().getWorkflowId() + ":" + SHIFT_TRAFFIC.id();
    runbook.step(
        SHIFT_TRAFFIC,
        K3sActivities.class,
        k3s -> {
          List<String> windows = new ArrayList<>();
          int failed = 0;
          for (int percent : shift.steps()) {
            k3s.setEdgeWeights(new EdgeChange(edge, percent, key));
            Analysis analysis = k3s.analyze(request(edge, key, percent, failed, false));
            if (analysis.verdict().equals("inconclusive")) {
              windows.add(analysis.summary() + ", repeated");
              failed += analysis.publicFailed();
              analysis = k3s.analyze(request(edge, key, percent, failed, true));
            }
            failed += analysis.publicFailed();
            windows.add(analysis.summary());
          }
          return new Shifted(start, windows, failed, shift.failedRequestBudget());
        },
        k3s -> k3s.restoreEdge(new EdgeChange(edge, 0, key)));
  }

  private AnalysisRequest request(
      EdgeRef edge, String key, int percent, int failedSoFar, boolean inconclusiveFails) {
    K3sShiftPlan.Analysis a = shift.analysis();
    return new AnalysisRequest(
        percent,
        a.publicUrl(),
        a.swarmUrl(),
        a.k3sUrl(),
        a.window(),
        a.interval(),
        a.minSuccessRate(),
        a.maxP95(),
        a.minSamples(),
        shift.failedRequestBudget() - failedSoFar,
        inconclusiveFails,
        new EdgeChange(edge, 0, key));
  }

  /** Each window's analysis and the zero-downtime count against its budget. */
  record Shifted(EdgeWeights from, List<String> windows, int failedRequests, int budget)
      implements Summarized {
    @Override
    public String summary() {
      return "from "
          + from.k3s()
          + " % to 100 % on K3s; "
          + failedRequests
          + " failed public requests (budget "
          + budget
          + "); "
          + String.join("; ", windows);
    }
  }
}
