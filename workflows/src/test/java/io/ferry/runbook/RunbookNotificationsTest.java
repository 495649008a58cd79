package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.contract.NotifyActivities;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.Notifications;
import io.ferry.plan.NotifyEvent;
import io.ferry.plan.OnTimeout;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The runbook's events as the notifier receives them: which events, with which facts and commands;
 * none at all (not even a command) for a plan without a notifications section; and a notifier that
 * fails leaves the migration untouched.
 */
class RunbookNotificationsTest {

  private static final Notifications NOTIFY =
      new Notifications(List.of(), true, List.of(Duration.ofHours(24), Duration.ofHours(1)));

  /** Records every notice; fails them all when asked. */
  static final class Notices implements NotifyActivities {
    final List<Notice> received = new CopyOnWriteArrayList<>();
    private final boolean fail;

    Notices(boolean fail) {
      this.fail = fail;
    }

    @Override
    public Delivery deliver(Notice notice) {
      received.add(notice);
      if (fail) {
        throw ApplicationFailure.newNonRetryableFailure("endpoint answered HTTP 404", "Test");
      }
      return new Delivery(List.of("plan endpoint 1"), List.of());
    }

    Notice first(NotifyEvent event) {
      return received.stream().filter(n -> n.event() == event).findFirst().orElseThrow();
    }

    List<NotifyEvent> events() {
      return received.stream().map(Notice::event).toList();
    }
  }

  private static Harness drill(CallLog log, Notices notices) {
    return new Harness(
        log,
        List.of(new FakeActivities(), notices),
        List.of(),
        DrillRoadmap.DrillWorkflowImpl.class);
  }

  @Test
  void happyPath_tellsEachWaitTheSoaksEndThePointOfNoReturnAndCompletion_withTheCommands() {
    Notices notices = new Notices(false);
    try (Harness h = drill(new CallLog(), notices)) {
      DrillPlan plan = DrillRoadmap.plan(FailurePolicy.ROLLBACK).withNotifications(NOTIFY);
      RunbookResult result = h.driveToEnd(DrillRoadmap.start(h, plan));

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(notices.events())
          .containsExactlyInAnyOrder(
              NotifyEvent.MANUAL_STEP_WAITING,
              NotifyEvent.GATE_OPENED,
              NotifyEvent.SOAK_ENDING,
              NotifyEvent.SOAK_ENDING,
              NotifyEvent.GATE_OPENED,
              NotifyEvent.POINT_OF_NO_RETURN_PASSED,
              NotifyEvent.MANUAL_STEP_WAITING,
              NotifyEvent.COMPLETED);
      NotifyActivities.Notice cutover = notices.first(NotifyEvent.GATE_OPENED);
      assertThat(cutover.workflowId()).isEqualTo("drill-one");
      assertThat(cutover.target()).isEqualTo("approve-cutover");
      assertThat(cutover.commands())
          .containsExactly(
              "ferry approve drill-one approve-cutover",
              "ferry reject drill-one approve-cutover -m \"why\"");
      NotifyActivities.Notice burn =
          notices.received.stream()
              .filter(n -> "approve-burn".equals(n.target()))
              .findFirst()
              .orElseThrow();
      assertThat(burn.commands()).contains("ferry approve drill-one approve-burn -m \"why\"");
      assertThat(burn.facts().get("approvals")).startsWith("0 of 2 approvals; it needs 2 distinct");
      assertThat(
              notices.received.stream()
                  .filter(n -> n.event() == NotifyEvent.SOAK_ENDING)
                  .map(NotifyActivities.Notice::headline))
          .anySatisfy(line -> assertThat(line).startsWith("soak soak ends in 1d, at "))
          .anySatisfy(line -> assertThat(line).startsWith("soak soak ends in 1h, at "));
      assertThat(notices.first(NotifyEvent.POINT_OF_NO_RETURN_PASSED).target())
          .isEqualTo("burn-bridge");
      assertThat(notices.first(NotifyEvent.MANUAL_STEP_WAITING).commands())
          .containsExactly("ferry complete drill-one confirm-fill -m \"what was done\"");
      assertThat(result.status().operatorLog())
          .filteredOn(e -> e.action().equals("notify"))
          .hasSize(8)
          .allSatisfy(e -> assertThat(e.outcome()).isEqualTo("sent to plan endpoint 1"));
    }
  }

  @Test
  void withoutANotificationsSection_theWorkflowIssuesNoNotificationCommand() {
    Notices notices = new Notices(false);
    try (Harness h = drill(new CallLog(), notices)) {
      WorkflowStub stub = DrillRoadmap.start(h, DrillRoadmap.plan(FailurePolicy.ROLLBACK));
      assertThat(h.driveToEnd(stub).state()).isEqualTo(RunbookState.COMPLETED);

      assertThat(notices.received).isEmpty();
      String history = h.historyJson(stub);
      assertThat(history).doesNotContain("Notify.").doesNotContain("ferry-notifications");
    }
  }

  @Test
  void failedStepAndRollback_tellWhatFailedWhatWasUndoneAndTheChoices() {
    Notices notices = new Notices(false);
    DrillPlan asking = DrillRoadmap.plan(FailurePolicy.ASK).withNotifications(NOTIFY);
    try (Harness h = drill(new CallLog().failAt("switch-thing", Integer.MAX_VALUE), notices)) {
      WorkflowStub stub = DrillRoadmap.start(h, asking);
      h.drive(stub, s -> s.parked() != null);
      h.operate(stub, OperatorAction.ROLLBACK, OperatorInput.by("ivy"));
      RunbookResult result = h.driveToEnd(stub);

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      NotifyActivities.Notice parked = notices.first(NotifyEvent.STEP_PARKED);
      assertThat(parked.target()).isEqualTo("switch-thing");
      assertThat(parked.facts().get("failed")).startsWith("step of switch-thing");
      assertThat(parked.facts().get("error")).isNotBlank();
      assertThat(parked.facts().get("undone so far")).isEqualTo("nothing yet");
      assertThat(parked.commands())
          .contains(
              "ferry retry drill-one switch-thing -m \"why\"",
              "ferry rollback drill-one -m \"why\"");
      NotifyActivities.Notice done = notices.first(NotifyEvent.ROLLBACK_FINISHED);
      assertThat(done.facts().get("undone")).contains("switch-thing", "fill-thing", "make-thing");
    }
  }

  @Test
  void gateReminderAndTimeout_areTold() {
    Notices notices = new Notices(false);
    DrillPlan plan =
        new DrillPlan(
                "drill",
                "one",
                FailurePolicy.ROLLBACK,
                Map.of("approve-cutover", new GatePolicy(Duration.ofHours(2), OnTimeout.ROLLBACK)))
            .withNotifications(NOTIFY);
    try (Harness h = drill(new CallLog(), notices)) {
      WorkflowStub stub = DrillRoadmap.start(h, plan);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      RunbookResult result = stub.getResult(RunbookResult.class); // time skips to the timeout

      assertThat(result.state()).isEqualTo(RunbookState.ROLLED_BACK);
      assertThat(notices.first(NotifyEvent.GATE_TIMED_OUT).headline())
          .isEqualTo("gate approve-cutover timed out after 2h without a decision; rolling back");
      assertThat(notices.events()).contains(NotifyEvent.ROLLBACK_FINISHED);
    }
    Notices reminded = new Notices(false);
    DrillPlan reminding =
        new DrillPlan(
                "drill",
                "one",
                FailurePolicy.ROLLBACK,
                Map.of(
                    "approve-cutover",
                    new GatePolicy(Duration.ofHours(24), OnTimeout.REMIND_AND_WAIT)))
            .withNotifications(NOTIFY);
    try (Harness h = drill(new CallLog(), reminded)) {
      WorkflowStub stub = DrillRoadmap.start(h, reminding);
      h.drive(stub, s -> !s.pendingGates().isEmpty());
      h.env.sleep(Duration.ofHours(25));
      h.awaitStatus(stub, s -> s.gates().get(0).reminders() == 1);

      assertThat(h.awaitStatus(stub, s -> reminded.events().contains(NotifyEvent.GATE_REMINDER)))
          .isNotNull();
      assertThat(reminded.first(NotifyEvent.GATE_REMINDER).headline())
          .startsWith("reminder 1: gate approve-cutover still waits, 1d after it opened");
    }
  }

  @Test
  void notifierThatFails_isLoggedAsGivenUp_andTheMigrationCompletes() {
    Notices failing = new Notices(true);
    try (Harness h = drill(new CallLog(), failing)) {
      DrillPlan plan = DrillRoadmap.plan(FailurePolicy.ROLLBACK).withNotifications(NOTIFY);
      RunbookResult result = h.driveToEnd(DrillRoadmap.start(h, plan));

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(result.status().operatorLog())
          .filteredOn(e -> e.action().equals("notify"))
          .isNotEmpty()
          .allSatisfy(
              e -> assertThat(e.outcome()).isEqualTo("gave up: endpoint answered HTTP 404"));
    }
  }
}
