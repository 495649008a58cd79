package io.ferry.roadmap.weaviatefirst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.runbook.OperatorAction;
import io.ferry.runbook.OperatorInput;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WeaviateFirstWorkflowTest {

  private static final List<StepDef> TABLE = WeaviateFirstSteps.ALL;

  @Test
  void happyPath_runsEveryStepInOrder_andUndoesNothing() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      RunbookResult result = h.driveToEnd(stub);

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.compensated()).isEmpty();
      List<String> expected =
          TABLE.stream()
              .filter(s -> s.runsActivity() && !s.conditional())
              .map(StepDef::id)
              .toList();
      assertThat(h.log.stepsRun()).containsExactlyElementsOf(expected);
      RunbookStatus status = result.status();
      assertThat(status.steps())
          .allSatisfy(s -> assertThat(s.state()).isIn(StepState.DONE, StepState.NOT_NEEDED));
      assertThat(status.step("create-micro-cache-droplet").result())
          .contains("chat p95 35 ms is within 50ms");
      assertThat(status.gates()).extracting(g -> g.decision()).containsOnly("approved");
      assertThat(status.gates()).extracting(g -> g.by()).containsOnly("test operator");
      assertThat(status.pointOfNoReturn()).isEqualTo("purge-memory-keys");
      assertThat(status.step("soak").result()).startsWith("soaked for 7d");
    }
  }

  @Test
  void slowChat_deploysTheMicroCache() {
    try (Harness h = new Harness(new CallLog(), new FakeActivities().chatP95(80))) {
      RunbookResult result = h.driveToEnd(h.start(Harness.plan()));

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(h.log.stepsRun())
          .contains(
              "create-micro-cache-droplet",
              "wait-micro-cache-active",
              "launch-micro-cache",
              "enable-micro-cache");
    }
  }

  static Stream<String> stepsBeforeThePointOfNoReturn() {
    return TABLE.stream()
        .filter(
            s -> s.runsActivity() && !s.conditional() && s.kind() != StepKind.POINT_OF_NO_RETURN)
        .map(StepDef::id);
  }

  @ParameterizedTest
  @MethodSource("stepsBeforeThePointOfNoReturn")
  void failureAtStep_rollsBackInReverse_eachCompensationOnce(String failing) {
    try (Harness h =
        new Harness(new CallLog().failAt(failing, Integer.MAX_VALUE), new FakeActivities())) {
      RunbookResult result = h.driveToEnd(h.start(Harness.plan()));

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome())
          .contains("step " + failing + " failed")
          .contains("injected failure");
      List<String> registered = new ArrayList<>();
      for (StepDef step : TABLE) {
        if (step.kind() == StepKind.EFFECT && !step.conditional()) {
          registered.add(step.id());
        }
        if (step.id().equals(failing)) {
          break;
        }
      }
      List<String> reversed = new ArrayList<>(registered);
      java.util.Collections.reverse(reversed);
      assertThat(h.log.compensated()).containsExactlyElementsOf(reversed);
      reversed.forEach(step -> assertThat(h.log.compensationCalls(step)).isEqualTo(1));
      assertThat(result.status().step(failing).state())
          .isIn(StepState.FAILED, StepState.COMPENSATED);
    }
  }

  @Test
  void rejectAtTheCutoverGate_rollsBackEverything() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      h.operate(
          stub,
          OperatorAction.REJECT,
          OperatorInput.on("approve-dns-cutover", "alice", "not tonight"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome())
          .contains("gate approve-dns-cutover rejected by alice (not tonight)");
      assertThat(h.log.compensated())
          .containsExactly(
              "switch-app-config",
              "copy-structured",
              "migrate-memory",
              "create-collections",
              "ensure-database",
              "launch-weaviate",
              "create-firewall",
              "create-volume",
              "create-vector-droplet");
    }
  }

  @Test
  void gateTimeout_underRollbackPolicy_rollsBack() {
    WeaviateFirstPlan plan =
        Harness.plan(
            t ->
                t.replace(
                    "timeout: 24h\n    onTimeout: remind-and-wait",
                    "timeout: 2h\n    onTimeout: rollback"));
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(plan);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      RunbookResult result = stub.getResult(RunbookResult.class); // time skips to the timeout

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("gate approve-dns-cutover timed out after 2h");
      assertThat(result.status().gates().get(0).decision()).isEqualTo("timed-out");
    }
  }

  @Test
  void gateTimeout_underRemindAndWait_remindsThenContinuesOnApproval() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      h.env.sleep(Duration.ofHours(50));

      RunbookStatus waiting = h.status(stub);
      assertThat(waiting.state()).isEqualTo(RunbookState.AWAITING_APPROVAL);
      assertThat(waiting.pendingGates().get(0).reminders()).isEqualTo(2);
      assertThat(waiting.operatorLog()).extracting(e -> e.action()).contains("remind");

      assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.COMPLETED);
    }
  }

  @Test
  void pause_takesEffectAtTheNextStepBoundary_andResumeContinues() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      h.operate(stub, OperatorAction.PAUSE, OperatorInput.by("bob"));
      h.operate(
          stub,
          OperatorAction.COMPLETE,
          OperatorInput.on("confirm-app-release", "bob", "v2.3 deployed"));

      RunbookStatus paused = h.awaitStatus(stub, s -> s.state() == RunbookState.PAUSED);
      assertThat(paused.currentStep()).isEqualTo("switch-app-config");
      assertThat(paused.step("switch-app-config").state()).isEqualTo(StepState.PENDING);
      assertThat(h.log.stepsRun()).doesNotContain("switch-app-config");

      h.operate(stub, OperatorAction.RESUME, OperatorInput.by("bob"));
      assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.COMPLETED);
    }
  }

  @Test
  void operatorRollback_whileWaiting_undoesEveryStepDoneSoFar() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "carol", "vendor incident"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("rollback requested by carol (vendor incident)");
      assertThat(h.log.compensated())
          .containsExactly(
              "copy-structured",
              "migrate-memory",
              "create-collections",
              "ensure-database",
              "launch-weaviate",
              "create-firewall",
              "create-volume",
              "create-vector-droplet");
    }
  }

  @Test
  void cancellingTheWorkflow_rollsBack() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      stub.cancel();

      assertThatThrownBy(() -> stub.getResult(RunbookResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .hasCauseInstanceOf(CanceledFailure.class);
      assertThat(h.log.compensated()).hasSize(9).endsWith("create-vector-droplet");
    }
  }

  @Test
  void cancellingWhileAStepIsParked_rollsBack_andDropsTheQuestion() {
    WeaviateFirstPlan plan =
        Harness.plan(t -> t.replace("failurePolicy: rollback", "failurePolicy: ask"));
    try (Harness h =
        new Harness(
            new CallLog().failAt("verify-counts", Integer.MAX_VALUE), new FakeActivities())) {
      WorkflowStub stub = h.start(plan);
      h.awaitStatus(stub, s -> s.parked() != null);
      stub.cancel();

      assertThatThrownBy(() -> stub.getResult(RunbookResult.class))
          .hasCauseInstanceOf(CanceledFailure.class);
      RunbookStatus status = h.status(stub);
      assertThat(status.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(status.parked()).isNull();
      assertThat(h.log.compensated()).endsWith("create-vector-droplet");
    }
  }

  @Test
  void failedCompensation_parks_thenRetryFinishesTheRollback() {
    CallLog log =
        new CallLog().failAt("verify-counts", Integer.MAX_VALUE).failAt("undo:migrate-memory", 1);
    try (Harness h = new Harness(log, new FakeActivities())) {
      WorkflowStub stub = h.start(Harness.plan());
      RunbookStatus parked = h.awaitStatus(stub, s -> s.parked() != null);

      assertThat(parked.state()).isEqualTo(RunbookState.AWAITING_DECISION);
      assertThat(parked.parked().step()).isEqualTo("migrate-memory");
      assertThat(parked.parked().during()).isEqualTo("compensation");
      assertThat(parked.parked().choices()).containsExactly("retry", "skip");
      assertThatThrownBy(() -> h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("dave")))
          .isInstanceOf(WorkflowUpdateException.class)
          .hasStackTraceContaining("already rolling back");

      h.operate(stub, OperatorAction.RETRY, OperatorInput.on("migrate-memory", "dave", null));
      RunbookResult result = stub.getResult(RunbookResult.class);
      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(h.log.compensationCalls("migrate-memory")).isEqualTo(2);
      assertThat(result.status().step("migrate-memory").state()).isEqualTo(StepState.COMPENSATED);
      assertThat(h.log.compensated()).endsWith("create-vector-droplet");
    }
  }

  @Test
  void failedCompensation_parks_thenSkipRecordsItAndGoesOn() {
    CallLog log =
        new CallLog().failAt("verify-counts", Integer.MAX_VALUE).failAt("undo:migrate-memory", 1);
    try (Harness h = new Harness(log, new FakeActivities())) {
      WorkflowStub stub = h.start(Harness.plan());
      h.awaitStatus(stub, s -> s.parked() != null);
      h.operate(
          stub, OperatorAction.SKIP, OperatorInput.on("migrate-memory", "dave", "cleaned by hand"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      StepStatus skipped = result.status().step("migrate-memory");
      assertThat(skipped.state()).isEqualTo(StepState.COMPENSATION_SKIPPED);
      assertThat(skipped.compensation()).isEqualTo("skipped by dave");
      assertThat(h.log.compensated())
          .endsWith(
              "create-collections",
              "ensure-database",
              "launch-weaviate",
              "create-firewall",
              "create-volume",
              "create-vector-droplet");
    }
  }

  @Test
  void askPolicy_parksAFailedStep_andRetryCompletesTheMigration() {
    WeaviateFirstPlan plan =
        Harness.plan(t -> t.replace("failurePolicy: rollback", "failurePolicy: ask"));
    try (Harness h =
        new Harness(new CallLog().failAt("probe-query-p95", 1), new FakeActivities())) {
      WorkflowStub stub = h.start(plan);
      RunbookStatus parked = h.drive(stub, s -> s.parked() != null);

      assertThat(parked.parked().step()).isEqualTo("probe-query-p95");
      assertThat(parked.parked().choices()).containsExactly("retry", "skip", "rollback");
      h.operate(stub, OperatorAction.RETRY, OperatorInput.on("probe-query-p95", "erin", null));

      RunbookResult result = h.driveToEnd(stub);
      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(result.status().step("probe-query-p95").attempts()).isEqualTo(2);
    }
  }

  @Test
  void askPolicy_skipMarksTheStepSkipped_andGoesOn() {
    WeaviateFirstPlan plan =
        Harness.plan(t -> t.replace("failurePolicy: rollback", "failurePolicy: ask"));
    try (Harness h =
        new Harness(
            new CallLog().failAt("probe-nl-query", Integer.MAX_VALUE), new FakeActivities())) {
      WorkflowStub stub = h.start(plan);
      h.drive(stub, s -> s.parked() != null);
      h.operate(
          stub, OperatorAction.SKIP, OperatorInput.on("probe-nl-query", "erin", "UI team on it"));

      RunbookResult result = h.driveToEnd(stub);
      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(result.status().step("probe-nl-query").state()).isEqualTo(StepState.SKIPPED);
      assertThat(result.outcome()).contains("1 skipped");
    }
  }

  @Test
  void askPolicy_refusesToSkipAStepWhoseResultLaterStepsNeed() {
    WeaviateFirstPlan plan =
        Harness.plan(t -> t.replace("failurePolicy: rollback", "failurePolicy: ask"));
    try (Harness h =
        new Harness(
            new CallLog().failAt("wait-droplet-active", Integer.MAX_VALUE), new FakeActivities())) {
      WorkflowStub stub = h.start(plan);
      h.awaitStatus(stub, s -> s.parked() != null);

      assertThatThrownBy(
              () ->
                  h.operate(
                      stub,
                      OperatorAction.SKIP,
                      OperatorInput.on("wait-droplet-active", "erin", null)))
          .isInstanceOf(WorkflowUpdateException.class)
          .hasStackTraceContaining(
              "skip is not possible for wait-droplet-active; choose retry or rollback");
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("erin"));
      assertThat(stub.getResult(RunbookResult.class).state()).isEqualTo(RunbookState.ROLLED_BACK);
    }
  }

  @Test
  void soak_canBeExtended_andEndedEarly() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      RunbookStatus soaking = h.drive(stub, s -> s.state() == RunbookState.SOAKING);
      h.operate(
          stub, OperatorAction.EXTEND_SOAK, new OperatorInput("soak", "frank", "holiday", "3d"));

      RunbookStatus extended = h.status(stub);
      assertThat(extended.soak().endsAt())
          .isEqualTo(soaking.soak().endsAt().plus(Duration.ofDays(3)));
      h.operate(stub, OperatorAction.END_SOAK, OperatorInput.by("frank"));
      RunbookStatus next = h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_APPROVAL);
      assertThat(next.step("soak").result()).startsWith("ended early");
    }
  }

  @Test
  void invalidOperatorRequests_areRejectedWithAMessage_andChangeNothing() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      RunbookStatus before = h.status(stub);

      assertRefused(
          h,
          stub,
          OperatorAction.APPROVE,
          OperatorInput.on("approve-everything", "x", null),
          "unknown gate 'approve-everything'; gates of weaviate-first: approve-dns-cutover, approve-purge");
      assertRefused(
          h,
          stub,
          OperatorAction.APPROVE,
          OperatorInput.on("approve-purge", "x", null),
          "gate approve-purge is not open yet");
      assertRefused(
          h, stub, OperatorAction.RESUME, OperatorInput.by("x"), "the migration is not paused");
      assertRefused(
          h,
          stub,
          OperatorAction.SKIP,
          OperatorInput.on("switch-dns", "x", null),
          "no step is parked");
      assertRefused(
          h,
          stub,
          OperatorAction.RETRY,
          OperatorInput.on("switch-dns", "x", null),
          "no step is parked");
      assertRefused(
          h,
          stub,
          OperatorAction.COMPLETE,
          OperatorInput.on("switch-dns", "x", null),
          "'switch-dns' is not a manual step of weaviate-first");
      assertRefused(
          h,
          stub,
          OperatorAction.EXTEND_SOAK,
          new OperatorInput("soak", "x", null, "2d"),
          "no soak is running");

      h.operate(
          stub, OperatorAction.APPROVE, OperatorInput.on("approve-dns-cutover", "gina", null));
      assertRefused(
          h,
          stub,
          OperatorAction.APPROVE,
          OperatorInput.on("approve-dns-cutover", "x", null),
          "gate approve-dns-cutover was already approved by gina");
      // rejected updates never reach the workflow: only the accepted approve was logged
      assertThat(h.status(stub).operatorLog())
          .hasSize(before.operatorLog().size() + 1)
          .last()
          .satisfies(e -> assertThat(e.action()).isEqualTo("approve"));
    }
  }

  @Test
  void aSignalThatCannotApply_isLoggedAsIgnored() {
    try (Harness h = new Harness()) {
      WorkflowStub stub = h.start(Harness.plan());
      h.awaitStatus(stub, s -> s.state() == RunbookState.AWAITING_MANUAL_STEP);
      stub.signal("approve", OperatorInput.on("approve-purge", "hank", null));

      RunbookStatus status = h.awaitStatus(stub, s -> !s.operatorLog().isEmpty());
      assertThat(status.operatorLog().get(0).outcome())
          .startsWith("ignored: gate approve-purge is not open yet");
      assertThat(status.state()).isEqualTo(RunbookState.AWAITING_MANUAL_STEP);
    }
  }

  @Test
  void operatorRollback_duringALongStep_cancelsItAndUndoesEverything() {
    try (Harness h =
        new Harness(new CallLog(), new FakeActivities().migrationRunsUntilCancelled())) {
      WorkflowStub stub = h.start(Harness.plan());
      h.awaitStatus(stub, s -> s.step("migrate-memory").state() == StepState.RUNNING);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.on(null, "judy", "wrong source"));
      RunbookResult result = stub.getResult(RunbookResult.class);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(result.outcome()).contains("rollback requested by judy (wrong source)");
      assertThat(result.status().step("migrate-memory").error()).contains("cancelled");
      assertThat(h.log.compensated())
          .containsExactly(
              "migrate-memory",
              "create-collections",
              "ensure-database",
              "launch-weaviate",
              "create-firewall",
              "create-volume",
              "create-vector-droplet");
    }
  }

  private static void assertRefused(
      Harness h, WorkflowStub stub, OperatorAction action, OperatorInput input, String message) {
    assertThatThrownBy(() -> h.operate(stub, action, input))
        .isInstanceOf(WorkflowUpdateException.class)
        .hasStackTraceContaining(message);
  }
}
