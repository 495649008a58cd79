package io.ferry.runbook;

import io.temporal.workflow.Workflow;
import java.util.Collection;

/**
 * Keeps what the Temporal Web UI shows of a run current: the search attributes operators filter on
 * (upserted only when they change, each upsert being an event in history) and the run's current
 * details, a short Markdown summary of what it is doing and what it waits for.
 */
final class WebUiDetails {

  private String publishedState;
  private String publishedPhase;

  /** What a run's details show; {@code current} is the step under way, or null. */
  record Shown(
      String roadmap,
      RunbookState state,
      String phase,
      StepDef current,
      Collection<GateStatus> gates,
      Parked parked,
      SoakStatus soak,
      String outcome) {}

  void publish(Shown status) {
    String stateName = status.state().wireName();
    String phaseName = status.phase() == null ? "starting" : status.phase();
    if (!stateName.equals(publishedState) || !phaseName.equals(publishedPhase)) {
      Workflow.upsertTypedSearchAttributes(
          FerrySearchAttributes.ROADMAP.valueSet(status.roadmap()),
          FerrySearchAttributes.STATE.valueSet(stateName),
          FerrySearchAttributes.PHASE.valueSet(phaseName));
      publishedState = stateName;
      publishedPhase = phaseName;
    }
    Workflow.setCurrentDetails(markdown(status));
  }

  /** State, phase and step; then what the run waits for: approvals, a decision, a soak's end. */
  static String markdown(Shown status) {
    StringBuilder details = new StringBuilder();
    details.append("**").append(status.state().wireName()).append("**");
    if (status.phase() != null) {
      details.append(" · phase `").append(status.phase()).append('`');
    }
    if (status.current() != null) {
      details
          .append(" · step `")
          .append(status.current().id())
          .append("` ")
          .append(status.current().title());
    }
    status.gates().stream()
        .filter(g -> g.decision().equals("pending"))
        .forEach(
            g ->
                details
                    .append("\n\nWaiting for approval: `")
                    .append(g.id())
                    .append("` (send signal approve or reject with {\"target\":\"")
                    .append(g.id())
                    .append("\",\"by\":\"you\"})")
                    .append(g.quorum() > 1 ? "; " + g.approvalCount() : ""));
    Parked parked = status.parked();
    if (parked != null) {
      details
          .append("\n\nParked on ")
          .append(parked.during())
          .append(" of `")
          .append(parked.step())
          .append("`: ")
          .append(parked.error())
          .append(" — choose ")
          .append(String.join(", ", parked.choices()));
    }
    if (status.soak() != null) {
      details.append("\n\nSoaking until ").append(Times.format(status.soak().endsAt()));
    }
    if (status.outcome() != null && status.state().isFinal()) {
      details.append("\n\n").append(status.outcome());
    }
    return details.toString();
  }
}
