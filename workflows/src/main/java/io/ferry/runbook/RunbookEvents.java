package io.ferry.runbook;

import io.ferry.contract.NotifyActivities;
import io.ferry.contract.NotifyActivities.Delivery;
import io.ferry.contract.NotifyActivities.Notice;
import io.ferry.plan.Notifications;
import io.ferry.plan.Plan;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place the runbook records the events people are told about, by kind. With a {@code
 * notifications} section in the plan each event goes to the worker's notifier, asynchronously: the
 * migration never waits for a webhook and never fails because of one. Without it nothing is sent
 * and the workflow issues no command for it, so runs from before notifications replay unchanged.
 */
final class RunbookEvents {

  /** Notifications are new commands; a run that began without them never sends any. */
  static final String NOTIFICATIONS_CHANGE = "ferry-notifications";

  static final int NOTIFICATIONS_VERSION = 1;

  /** Retried with back-off for about two minutes, then given up (and said so in the log). */
  private static final ActivityOptions DELIVERY =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setScheduleToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(6)
                  .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(String[]::new))
                  .build())
          .build();

  /** Where the outcome of each delivery is written: the operator log. */
  interface Log {
    void entry(String action, String target, String by, String comment, String result);
  }

  private final String roadmap;
  private final Plan plan;
  private final Log log;
  private final List<Promise<Delivery>> inFlight = new ArrayList<>();
  private Boolean enabled;

  RunbookEvents(String roadmap, Plan plan, Log log) {
    this.roadmap = roadmap;
    this.plan = plan;
    this.log = log;
  }

  /** The plan's section, or null when the migration sends nothing. */
  Notifications settings() {
    return enabled() ? plan.notifications() : null;
  }

  /** Records an event and, when the plan asks for notifications, sends it without waiting. */
  void record(RunbookEvent event) {
    if (!enabled()) {
      return;
    }
    Notice notice =
        new Notice(
            Workflow.getInfo().getWorkflowId(),
            roadmap,
            plan.name(),
            event.kind(),
            event.target(),
            Instant.ofEpochMilli(Workflow.currentTimeMillis()),
            event.headline(),
            event.facts(),
            event.commands(),
            plan.notifications().endpoints(),
            plan.notifications().workerDefaults());
    // its own step name, so workers attribute the call (to nothing on the ledger) like any other
    String what = event.kind().wireName();
    String target = event.target();
    StepCall call = new StepCall("notify:" + what, false, 1);
    NotifyActivities notifier =
        Workflow.newActivityStub(
            NotifyActivities.class,
            ActivityOptions.newBuilder(DELIVERY)
                .setSummary("Notify " + what + (target == null ? "" : " " + target))
                .setContextPropagators(List.of(StepContext.of(call)))
                .build());
    Promise<Delivery> delivery = Async.function(notifier::deliver, notice);
    inFlight.add(delivery);
    delivery.handle(
        (sent, failure) -> {
          inFlight.remove(delivery);
          if (failure == null) {
            String result =
                sent.delivered().isEmpty()
                    ? "sent to no endpoint (none wants " + what + ")"
                    : "sent to " + String.join(", ", sent.delivered());
            log.entry(
                "notify",
                target,
                "ferry",
                what,
                sent.notContacted().isEmpty()
                    ? result
                    : result + "; not contacted: " + String.join(", ", sent.notContacted()));
          } else {
            log.entry("notify", target, "ferry", what, "gave up: " + reason(failure));
          }
          return null;
        });
  }

  /**
   * Keeps a migration that has ended open until its last notifications are delivered or given up (a
   * closed workflow's activities never run). Bounded by the deliveries' own schedule-to-close
   * timeout, two minutes, so no timer of its own.
   */
  void awaitLastDeliveries() {
    if (enabled() && !inFlight.isEmpty()) {
      Workflow.await(inFlight::isEmpty);
    }
  }

  private boolean enabled() {
    if (enabled == null) {
      enabled =
          plan.notifications() != null
              && Workflow.getVersion(
                      NOTIFICATIONS_CHANGE, Workflow.DEFAULT_VERSION, NOTIFICATIONS_VERSION)
                  >= NOTIFICATIONS_VERSION;
    }
    return enabled;
  }

  /** The exact CLI command for this migration, such as {@code ferry approve ID GATE}. */
  static String ferry(String verb, String... args) {
    StringBuilder command =
        new StringBuilder("ferry ")
            .append(verb)
            .append(' ')
            .append(Workflow.getInfo().getWorkflowId());
    for (String arg : args) {
      command.append(' ').append(arg);
    }
    return command.toString();
  }

  private static String reason(Exception failure) {
    Throwable cause = failure instanceof ActivityFailure a ? a.getCause() : failure;
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return cause == null || cause.getMessage() == null
        ? failure.getClass().getSimpleName()
        : cause.getMessage();
  }
}
