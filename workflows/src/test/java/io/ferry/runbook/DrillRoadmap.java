package io.ferry.runbook;

import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.contract.CloudActivities.ResourceKey;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import java.util.Map;

/** A four-step roadmap that keeps running after its point of no return, to test the engine. */
final class DrillRoadmap {
  static final StepDef MAKE =
      StepDef.effect("build", "make-thing", "Make the thing", "unmake the thing");
  static final StepDef APPROVE = StepDef.gate("burn", "approve-burn", "Approve burning the bridge");
  static final StepDef BURN = StepDef.pointOfNoReturn("burn", "burn-bridge", "Burn the old bridge");
  static final StepDef TELL = StepDef.manual("after", "tell-users", "Tell the users");
  static final List<StepDef> STEPS = List.of(MAKE, APPROVE, BURN, TELL);

  record DrillPlan(
      String roadmap, String name, FailurePolicy failurePolicy, Map<String, GatePolicy> gates)
      implements Plan {
    @Override
    public void check(PlanChecks checks) {}
  }

  @WorkflowInterface
  public interface DrillWorkflow extends RunbookControls {
    @WorkflowMethod(name = "Drill")
    RunbookResult run(DrillPlan plan);
  }

  public static class DrillWorkflowImpl extends RunbookWorkflow implements DrillWorkflow {
    @WorkflowInit
    public DrillWorkflowImpl(DrillPlan plan) {
      super("drill", plan, STEPS);
    }

    @Override
    public RunbookResult run(DrillPlan plan) {
      return runbook.run(
          () -> {
            runbook.step(
                MAKE,
                CloudActivities.class,
                c ->
                    c.createDroplet(
                        new DropletRequest(
                            "k", "thing", "sfo2", "s", "i", null, List.of(), List.of(), null)),
                c -> c.destroyDroplet(new ResourceKey("k")));
            runbook.gate(APPROVE);
            runbook.irreversible(
                BURN, CloudActivities.class, c -> c.waitDropletActive(new ResourceKey("k")));
            runbook.manual(TELL);
          });
    }
  }

  private DrillRoadmap() {}
}
