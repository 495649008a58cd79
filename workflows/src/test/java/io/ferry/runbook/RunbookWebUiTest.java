package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.plan.FailurePolicy;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of a run in the Temporal Web UI: the current details (what the run waits
 * for and how to answer it) and the search attributes to filter runs by, both kept current as the
 * run moves.
 */
class RunbookWebUiTest {

  private static final DrillPlan PLAN = DrillRoadmap.plan(FailurePolicy.ROLLBACK);

  @Test
  void detailsAndSearchAttributes_followTheRun_fromGateToSoakToTheEnd() {
    try (Harness h = DrillRoadmap.harness(new CallLog(), new FakeActivities())) {
      WorkflowStub stub = DrillRoadmap.start(h, PLAN);

      h.drive(stub, s -> !s.pendingGates().isEmpty());
      assertThat(details(stub))
          .startsWith("**awaiting-approval** · phase `switch` · step `approve-cutover` Approve")
          .contains(
              "Waiting for approval: `approve-cutover` (send signal approve or reject with"
                  + " {\"target\":\"approve-cutover\",\"by\":\"you\"})");
      assertThat(searchAttributes(stub).get(FerrySearchAttributes.STATE))
          .isEqualTo("awaiting-approval");
      assertThat(searchAttributes(stub).get(FerrySearchAttributes.PHASE)).isEqualTo("switch");
      assertThat(searchAttributes(stub).get(FerrySearchAttributes.ROADMAP)).isEqualTo("drill");

      RunbookStatus soaking = h.drive(stub, s -> s.state() == RunbookState.SOAKING);
      assertThat(details(stub))
          .startsWith("**soaking** · phase `switch` · step `soak` Soak with the old bridge kept")
          .contains("Soaking until " + Times.format(soaking.soak().endsAt()))
          .doesNotContain("Waiting for approval");
      assertThat(searchAttributes(stub).get(FerrySearchAttributes.STATE)).isEqualTo("soaking");

      RunbookResult result = h.driveToEnd(stub);
      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(details(stub))
          .startsWith("**completed** · phase `after`")
          .endsWith("\n\n" + result.outcome())
          .doesNotContain("step `");
      assertThat(searchAttributes(stub).get(FerrySearchAttributes.STATE)).isEqualTo("completed");
    }
  }

  private static String details(WorkflowStub stub) {
    return stub.query("__temporal_workflow_metadata", WorkflowMetadata.class).getCurrentDetails();
  }

  private static SearchAttributes searchAttributes(WorkflowStub stub) {
    return stub.describe().getTypedSearchAttributes();
  }
}
