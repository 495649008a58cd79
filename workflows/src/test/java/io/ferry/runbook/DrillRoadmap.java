package io.ferry.runbook;

import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DnsName;
import io.ferry.contract.CloudActivities.DnsQuery;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.contract.CloudActivities.FirewallRequest;
import io.ferry.contract.CloudActivities.ResourceKey;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.ferry.plan.Approvals;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.Notifications;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanChecks;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A roadmap of every kind of step, that keeps running after its point of no return, to test the
 * engine: effects (one long-running), a check later steps need and one they do not, manual steps
 * before and after the point of no return, two gates and a soak between them.
 */
final class DrillRoadmap {
  static final StepDef MAKE =
      StepDef.effect("build", "make-thing", "Make the thing", "unmake the thing");
  static final StepDef WAIT_READY =
      StepDef.check("build", "wait-thing-ready", "Wait for the thing to be ready").notSkippable();
  static final StepDef FILL =
      StepDef.effect("build", "fill-thing", "Fill the thing", "empty the thing")
          .profile(ActivityProfile.LONG_RUNNING);
  static final StepDef CONFIRM = StepDef.manual("build", "confirm-fill", "Confirm the filling");
  static final StepDef SWITCH =
      StepDef.effect("switch", "switch-thing", "Switch to the thing", "switch back");
  static final StepDef PROBE = StepDef.check("switch", "probe-thing", "Probe the thing");
  static final StepDef APPROVE_CUTOVER =
      StepDef.gate("switch", "approve-cutover", "Approve the cutover");
  static final StepDef SOAK = StepDef.soak("switch", "soak", "Soak with the old bridge kept");
  static final StepDef APPROVE = StepDef.gate("burn", "approve-burn", "Approve burning the bridge");
  static final StepDef BURN = StepDef.pointOfNoReturn("burn", "burn-bridge", "Burn the old bridge");
  static final StepDef TELL = StepDef.manual("after", "tell-users", "Tell the users");
  static final List<StepDef> STEPS =
      List.of(
          MAKE,
          WAIT_READY,
          FILL,
          CONFIRM,
          SWITCH,
          PROBE,
          APPROVE_CUTOVER,
          SOAK,
          APPROVE,
          BURN,
          TELL);
  static final Duration SOAK_TIME = Duration.ofDays(7);

  static DrillPlan plan(FailurePolicy policy) {
    return new DrillPlan("drill", "one", policy, Map.of());
  }

  /** The drill's workflow alone on the harness. */
  static Harness harness(CallLog log, FakeActivities fakes) {
    return new Harness(log, fakes, DrillWorkflowImpl.class);
  }

  static WorkflowStub start(Harness h, DrillPlan plan) {
    return h.start("Drill", plan.workflowId(), plan);
  }

  record DrillPlan(
      String roadmap,
      String name,
      FailurePolicy failurePolicy,
      Map<String, GatePolicy> gates,
      Approvals approvals,
      Notifications notifications)
      implements Plan {
    DrillPlan {
      approvals = approvals == null ? Approvals.DEFAULTS : approvals;
    }

    DrillPlan(
        String roadmap, String name, FailurePolicy failurePolicy, Map<String, GatePolicy> gates) {
      this(roadmap, name, failurePolicy, gates, null, null);
    }

    DrillPlan withApprovals(Approvals approvals) {
      return new DrillPlan(roadmap, name, failurePolicy, gates, approvals, notifications);
    }

    DrillPlan withNotifications(Notifications notifications) {
      return new DrillPlan(roadmap, name, failurePolicy, gates, approvals, notifications);
    }

    @Override
    public void check(PlanChecks checks) {}
  }

  @WorkflowInterface
  public interface DrillWorkflow extends RunbookControls {
    @WorkflowMethod(name = "Drill")
    RunbookResult run(DrillPlan plan);
  }

  public static class DrillWorkflowImpl extends RunbookWorkflow implements DrillWorkflow {
    private static final ResourceKey THING = new ResourceKey("k");
    private static final MemoryMigration FILLING =
        new MemoryMigration(null, "thing:*", null, "Thing", null, 10, 0.1, "k");

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
                c -> c.destroyDroplet(THING));
            runbook.check(WAIT_READY, CloudActivities.class, c -> c.waitDropletActive(THING));
            runbook.step(
                FILL,
                DataActivities.class,
                d -> d.migrateMemory(FILLING),
                d -> d.deleteMigratedMemory(FILLING));
            runbook.manual(CONFIRM);
            runbook.step(
                SWITCH,
                CloudActivities.class,
                c ->
                    c.createFirewall(
                        new FirewallRequest("fw", "thing", "k", List.of(80), List.of("0.0.0.0/0"))),
                c -> c.deleteFirewall(new ResourceKey("fw")));
            runbook.check(
                PROBE,
                CloudActivities.class,
                c ->
                    c.readDnsRecords(
                        new DnsQuery("thing.example.com", List.of(new DnsName("www", "A")))));
            runbook.gate(APPROVE_CUTOVER);
            runbook.soak(SOAK, SOAK_TIME);
            runbook.gate(APPROVE);
            runbook.irreversible(
                BURN, CloudActivities.class, c -> c.waitDropletActive(new ResourceKey("k")));
            runbook.manual(TELL);
          });
    }
  }

  private DrillRoadmap() {}
}
