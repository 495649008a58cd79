package io.ferry.reliability;

import io.ferry.activities.Fleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.OperatorReply;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookStatus;
import io.ferry.testing.CallLog;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.util.function.Predicate;

/**
 * One run of any registered roadmap's real workflow on the {@link Harness}, against any {@link
 * Fleet} (the simulated one, or real adapters' stand-ins), its operator named as the reliability
 * harness; {@link #calls} learns which steps and compensations actually ran.
 */
final class RoadmapRun implements AutoCloseable {
  static final String OPERATOR = "reliability harness";

  final Roadmap roadmap;
  final Plan plan;
  final Harness harness;
  final CallLog calls;
  private WorkflowStub stub;

  RoadmapRun(Roadmap roadmap, Plan plan, Fleet fleet) {
    this.roadmap = roadmap;
    this.plan = plan;
    this.harness =
        new Harness(
                new CallLog(),
                fleet.activityImplementations(),
                fleet.interceptors(),
                Examples.workflowImplementations())
            .operatorNamed(OPERATOR);
    this.calls = harness.log;
  }

  WorkflowStub start() {
    stub = harness.start(roadmap.workflowType(), plan.workflowId(), plan);
    return stub;
  }

  RunbookStatus status() {
    return harness.status(stub);
  }

  OperatorReply operate(OperatorAction action, String target) {
    return harness.operate(stub, action, new OperatorInput(target, OPERATOR, null, null));
  }

  /** The refusal message of a request the update's validator rejects, or null if it applied. */
  String refusal(OperatorAction action, String target) {
    return harness.refusal(stub, action, new OperatorInput(target, OPERATOR, null, null));
  }

  /** Plays the operator until the end, a parked failure, or {@code stopWhen}. */
  RunbookStatus drive(Predicate<RunbookStatus> stopWhen) {
    return harness.drive(stub, stopWhen);
  }

  RunbookStatus driveToEnd() {
    return drive(s -> false);
  }

  /** The final result; call once the status is final. */
  RunbookResult result() {
    return stub.getResult(RunbookResult.class);
  }

  String historyJson() {
    return harness.historyJson(stub);
  }

  @Override
  public void close() {
    harness.close();
  }
}
