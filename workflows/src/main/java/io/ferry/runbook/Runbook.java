package io.ferry.runbook;

import io.ferry.plan.Durations;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.GatePolicy;
import io.ferry.plan.OnTimeout;
import io.ferry.plan.Plan;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a roadmap's checklist inside its workflow: each step's compensation is registered before the
 * step, pauses and rollback requests are honoured at step boundaries, failures follow the plan's
 * policy, and every operator request is checked before it changes anything.
 *
 * <p>Signal and update handlers only change fields; the workflow's own thread does all waiting.
 */
public final class Runbook {

  /** Gate approval policies (quorum, starter, comment); older runs replay with one approval. */
  static final String APPROVAL_POLICY_CHANGE = "ferry-approval-policy";

  static final int APPROVAL_POLICY_VERSION = 1;

  private final String roadmap;
  private final Plan plan;
  private final Map<String, StepDef> defs = new LinkedHashMap<>();
  private final Map<String, StepStatus> steps = new LinkedHashMap<>();
  private final GateBook gates = new GateBook();
  private final RunbookEvents events;
  private final SoakReminders soakReminders = new SoakReminders();
  private final Map<String, String> guardedBy = new LinkedHashMap<>();
  private final Deque<Compensation> compensations = new ArrayDeque<>();
  private final List<OperatorEntry> operatorLog = new ArrayList<>();
  private final Map<String, OperatorInput> completedManualSteps = new LinkedHashMap<>();

  private RunbookState state = RunbookState.RUNNING;
  private String phase;
  private String currentStep;
  private Instant startedAt;
  private Instant updatedAt;
  private boolean pauseRequested;
  private OperatorInput rollbackRequest;
  private Parked parked;
  private OperatorAction decision;
  private OperatorInput decisionBy;
  private SoakStatus soak;
  private boolean soakEndRequested;
  private String pointOfNoReturn;
  private Instant pointOfNoReturnAt;
  private String outcome;
  private boolean rollingBack;
  private String publishedState;
  private String publishedPhase;
  private Instant nextWakeAt;
  private int policyVersion = Workflow.DEFAULT_VERSION;
  private String startedBy;
  private int soakRounds;

  public Runbook(String roadmap, Plan plan, List<StepDef> stepTable) {
    this.roadmap = roadmap;
    this.plan = plan;
    this.events = new RunbookEvents(roadmap, plan, this::log);
    String lastGate = null;
    for (StepDef def : stepTable) {
      defs.put(def.id(), def);
      steps.put(def.id(), StepStatus.pending(def));
      if (def.kind() == StepKind.GATE) {
        lastGate = def.id();
      } else if (def.kind() == StepKind.POINT_OF_NO_RETURN && lastGate != null) {
        guardedBy.put(lastGate, def.id());
      }
    }
  }

  // ---------------------------------------------------------------- the checklist, as roadmaps use
  // it

  /**
   * Runs an effect step. Its compensation is registered first, so a failure half-way through the
   * step is still undone; the compensation must tolerate "the step never happened".
   */
  public <A, R> R step(StepDef def, Class<A> activities, Function<A, R> action, Consumer<A> undo) {
    requireKind(def, StepKind.EFFECT);
    boundary(def);
    compensations.push(new Compensation(def, activities, undo));
    steps.put(def.id(), steps.get(def.id()).compensation("registered"));
    return attempt(def, activities, action);
  }

  /** Runs a step that only looks at the world. */
  public <A, R> R check(StepDef def, Class<A> activities, Function<A, R> action) {
    requireKind(def, StepKind.READ_ONLY);
    boundary(def);
    return attempt(def, activities, action);
  }

  /**
   * A monitor window: runs {@code probe} every {@code interval} until {@code window} has passed,
   * each round its own short activity call (durable timers between them, so a worker restart loses
   * nothing). A probe that fails, or whose activity fails, counts against {@code failureBudget};
   * once more rounds have failed than the budget allows the step fails and the migration rolls back
   * whatever the failure policy, because spending the budget is the decision. An operator's
   * rollback ends the window at once.
   */
  public <A> WatchReport watch(
      StepDef def,
      Class<A> activities,
      Function<A, ? extends ProbeVerdict> probe,
      Duration window,
      Duration interval,
      int failureBudget) {
    Instant ends = beginRounds(def).plus(window);
    int rounds = 0;
    int failures = 0;
    String lastFailure = null;
    while (true) {
      rounds++;
      Instant roundStarted = now();
      A stub = roundStub(activities, def, rounds);
      String failure;
      boolean decisive = false;
      try {
        ProbeVerdict verdict = probe.apply(stub);
        failure = verdict == null || verdict.passed() ? null : verdict.detail();
        decisive = failure != null && verdict.decisive();
      } catch (ActivityFailure e) {
        failure = describe(e);
      }
      if (failure != null) {
        failures++;
        lastFailure = failure;
      }
      WatchReport report = new WatchReport(rounds, failures, failureBudget, lastFailure);
      if (failures > failureBudget || decisive) {
        String why = "failure budget spent: " + report.summary();
        update(def.id(), s -> s.ended(StepState.FAILED, now(), why, null));
        if (pointOfNoReturn != null) {
          // nothing before a point of no return can be undone any more; the status shows it
          publish();
          return report;
        }
        throw new RollbackSignal("step " + def.id() + " failed: " + why);
      }
      String progress =
          report.summary()
              + "; watching "
              + Durations.format(window)
              + " until "
              + Times.format(ends);
      update(def.id(), s -> s.ended(StepState.RUNNING, null, null, progress));
      publish();
      Duration left = Duration.between(now(), ends);
      if (left.isNegative() || left.isZero()) {
        update(def.id(), s -> s.ended(StepState.DONE, now(), null, report.summary()));
        publish();
        return report;
      }
      // rounds start every interval: a round that probes for a while shortens the wait after it
      Duration untilNext = untilNextRound(roundStarted, interval);
      awaitNextRound(def, left.compareTo(untilNext) < 0 ? left : untilNext, "watch");
    }
  }

  /** The start of a step made of probe rounds (a watch or a hold); returns when it started. */
  private Instant beginRounds(StepDef def) {
    requireKind(def, StepKind.READ_ONLY);
    boundary(def);
    Instant started = now();
    update(def.id(), s -> s.started(started));
    enter(RunbookState.RUNNING);
    return started;
  }

  /** Round {@code round}'s activities: a call of the step's, numbered, titled by its round. */
  private <A> A roundStub(Class<A> activities, StepDef def, int round) {
    return stub(
        activities,
        def,
        new StepCall(def.id(), false, round),
        def.title() + " (round " + round + ")");
  }

  /** Waits for the next round; an operator's rollback meanwhile fails the step at once. */
  private void awaitNextRound(StepDef def, Duration wait, String during) {
    awaitUntil(wait, () -> rollbackRequest != null);
    if (rollbackRequest != null) {
      update(
          def.id(),
          s -> s.ended(StepState.FAILED, now(), "rollback requested during the " + during, null));
      throw new RollbackSignal(
          "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
    }
  }

  /** The wait before the next round; never zero, so every round is followed by its timer. */
  private Duration untilNextRound(Instant roundStarted, Duration interval) {
    Duration wait = interval.minus(Duration.between(roundStarted, now()));
    return wait.compareTo(MIN_ROUND_WAIT) < 0 ? MIN_ROUND_WAIT : wait;
  }

  private static final Duration MIN_ROUND_WAIT = Duration.ofMillis(1);

  /**
   * A hold: runs {@code probe} every {@code interval} (each round its own short activity call,
   * durable timers between them) until it passes, showing the last verdict as the step's result
   * while it waits. When {@code timeout} passes first the step fails and the migration rolls back;
   * an operator's rollback ends the hold at once. Returns the passing verdict's detail.
   */
  public <A> String hold(
      StepDef def,
      Class<A> activities,
      Function<A, ? extends ProbeVerdict> probe,
      Duration interval,
      Duration timeout) {
    Instant ends = beginRounds(def).plus(timeout);
    int rounds = 0;
    while (true) {
      rounds++;
      A stub = roundStub(activities, def, rounds);
      String seen;
      try {
        ProbeVerdict verdict = probe.apply(stub);
        if (verdict != null && verdict.passed()) {
          String passed = verdict.detail();
          update(def.id(), s -> s.ended(StepState.DONE, now(), null, passed));
          publish();
          return passed;
        }
        seen = verdict == null ? "no answer" : verdict.detail();
      } catch (ActivityFailure e) {
        seen = describe(e);
      }
      Duration left = Duration.between(now(), ends);
      if (left.isNegative() || left.isZero()) {
        String why = "still not met after " + Durations.format(timeout) + ": " + seen;
        update(def.id(), s -> s.ended(StepState.FAILED, now(), why, null));
        throw new RollbackSignal("step " + def.id() + " failed: " + why);
      }
      String holding = "holding (round " + rounds + ", until " + Times.format(ends) + "): " + seen;
      update(def.id(), s -> s.ended(StepState.RUNNING, null, null, holding));
      publish();
      awaitNextRound(def, left.compareTo(interval) < 0 ? left : interval, "hold");
    }
  }

  /** Runs a step that cannot be undone; from here on, rollback is refused. */
  public <A, R> R irreversible(StepDef def, Class<A> activities, Function<A, R> action) {
    requireKind(def, StepKind.POINT_OF_NO_RETURN);
    if (!gates.anyApproved()) {
      throw new IllegalStateException("point of no return " + def.id() + " must sit behind a gate");
    }
    boundary(def);
    return attempt(def, activities, action);
  }

  /** Records that a conditional step is not needed this time, and why. */
  public void notNeeded(StepDef def, String why) {
    update(def.id(), s -> s.ended(StepState.NOT_NEEDED, now(), null, why));
    publish();
  }

  /**
   * Waits for an operator to approve. A reject, or a timeout under the rollback policy, rolls back.
   */
  public void gate(StepDef def) {
    requireKind(def, StepKind.GATE);
    boundary(def);
    GatePolicy policy = plan.gate(def.id());
    String onTimeout = policy.timeout() == null ? null : policy.onTimeout().wireName();
    ApprovalRule rule =
        policyVersion >= APPROVAL_POLICY_VERSION
            ? ApprovalRule.of(policy, plan.approvals(), guardedBy.get(def.id()))
            : ApprovalRule.SINGLE;
    gates.open(def, rule, now(), deadline(policy.timeout()), onTimeout);
    update(def.id(), s -> s.started(now()).with(StepState.WAITING));
    enter(RunbookState.AWAITING_APPROVAL);
    events.record(Notices.gateOpened(gates.get(def.id())));
    while (true) {
      boolean woke =
          awaitOrTimeout(policy.timeout(), () -> !gatePending(def.id()) || rollbackRequest != null);
      if (rollbackRequest != null && gatePending(def.id())) {
        gates.close(def.id(), "withdrawn", rollbackRequest, now());
        update(
            def.id(),
            s -> s.ended(StepState.FAILED, now(), "rollback requested while waiting", null));
        throw new RollbackSignal(
            "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
      }
      if (woke) {
        GateStatus gate = gates.get(def.id());
        if (gate.decision().equals("approved")) {
          update(def.id(), s -> s.ended(StepState.DONE, now(), null, approvedBy(gate)));
          enter(RunbookState.RUNNING);
          return;
        }
        update(
            def.id(),
            s ->
                s.ended(
                    StepState.FAILED,
                    now(),
                    "rejected by " + gate.by() + comment(gate.comment()),
                    null));
        throw new RollbackSignal(
            "gate " + def.id() + " rejected by " + gate.by() + comment(gate.comment()));
      }
      if (policy.onTimeout() == OnTimeout.ROLLBACK) {
        gates.close(def.id(), "timed-out", null, now());
        String why =
            "gate "
                + def.id()
                + " timed out after "
                + Durations.format(policy.timeout())
                + " without a decision";
        update(def.id(), s -> s.ended(StepState.FAILED, now(), why, null));
        events.record(Notices.gateTimedOut(gates.get(def.id()), why));
        throw new RollbackSignal(why);
      }
      int reminder = gates.remind(def.id(), deadline(policy.timeout()));
      log(
          "remind",
          def.id(),
          "ferry",
          "no decision after " + Durations.format(policy.timeout()),
          "reminder " + reminder);
      publish();
      events.record(Notices.gateReminder(gates.get(def.id()), reminder, policy.timeout()));
    }
  }

  /** Waits until an operator marks the checklist item done. */
  public void manual(StepDef def) {
    requireKind(def, StepKind.MANUAL);
    boundary(def);
    update(def.id(), s -> s.started(now()).with(StepState.WAITING));
    enter(RunbookState.AWAITING_MANUAL_STEP);
    events.record(Notices.manualStepWaiting(def));
    Workflow.await(() -> completedManualSteps.containsKey(def.id()) || rollbackRequest != null);
    if (!completedManualSteps.containsKey(def.id())) {
      update(
          def.id(),
          s -> s.ended(StepState.FAILED, now(), "rollback requested while waiting", null));
      throw new RollbackSignal(
          "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
    }
    OperatorInput by = completedManualSteps.get(def.id());
    update(
        def.id(),
        s -> s.ended(StepState.DONE, now(), null, "done, confirmed by " + by.who() + comment(by)));
    enter(RunbookState.RUNNING);
  }

  /** A durable wait; operators may extend it or end it early, and may roll back during it. */
  public void soak(StepDef def, Duration duration) {
    soak(def, duration, null);
  }

  /**
   * A soak that wakes every {@code watch.interval()} to run one round of {@code watch} (see {@link
   * WatchedSoak}); without a watch it only waits.
   */
  public void soak(StepDef def, Duration duration, SoakWatch watch) {
    requireKind(def, StepKind.SOAK);
    boundary(def);
    Instant start = now();
    soak = new SoakStatus(def.id(), start, start.plus(duration));
    soakEndRequested = false;
    update(def.id(), s -> s.started(start).with(StepState.WAITING));
    enter(RunbookState.SOAKING);
    while (true) {
      Duration remaining = Duration.between(now(), soak.endsAt());
      if (soakEndRequested
          || rollbackRequest != null
          || remaining.isNegative()
          || remaining.isZero()) {
        break;
      }
      Instant endsAt = soak.endsAt();
      Duration reminder = soakReminders.next(events.settings(), remaining, endsAt);
      Duration untilReminder = reminder == null ? remaining : remaining.minus(reminder);
      boolean watchDue = watch != null && watch.interval().compareTo(untilReminder) < 0;
      boolean woke =
          awaitUntil(
              watchDue ? watch.interval() : untilReminder,
              () -> soakEndRequested || rollbackRequest != null || !soak.endsAt().equals(endsAt));
      if (woke) {
        continue;
      }
      if (watchDue) {
        watch.round(new Round(def));
      } else if (reminder != null) {
        soakReminders.sent(endsAt, reminder);
        events.record(Notices.soakEnding(def, reminder, endsAt));
      }
    }
    SoakStatus finished = soak;
    soak = null;
    if (rollbackRequest != null) {
      update(
          def.id(),
          s -> s.ended(StepState.FAILED, now(), "rollback requested during the soak", null));
      throw new RollbackSignal(
          "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
    }
    String how = soakEndRequested ? "ended early" : "soaked";
    Instant end = soakEndRequested ? now() : finished.endsAt();
    Duration soaked =
        Duration.between(finished.startedAt(), end)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    update(
        def.id(),
        s ->
            s.ended(
                StepState.DONE,
                now(),
                null,
                how + (soakEndRequested ? " after " : " for ") + Durations.format(soaked)));
    enter(RunbookState.RUNNING);
  }

  /** Shows {@code text} as the step's result before it runs: what an operator should know there. */
  public void brief(StepDef def, String text) {
    update(def.id(), s -> s.ended(s.state(), s.endedAt(), s.error(), text));
    publish();
  }

  /** One round of a soak's watch: its activity calls are the soak step's, numbered by round. */
  private final class Round implements SoakWatch.Round {
    private final StepDef def;
    private final int number;

    Round(StepDef def) {
      this.def = def;
      this.number = ++soakRounds;
    }

    @Override
    public <A> A activities(Class<A> type) {
      return stub(
          type,
          def,
          new StepCall(def.id(), false, number),
          def.title() + " (round " + number + ")");
    }

    @Override
    public void progress(String text) {
      update(def.id(), s -> s.ended(s.state(), null, null, text));
      publish();
    }

    @Override
    public void record(String what, String detail) {
      log(what, def.id(), "ferry", null, detail);
      publish();
    }

    @Override
    public void breach(String detail) {
      soakBreach(def.id(), detail);
    }
  }

  /**
   * Records that a running soak's watch found its limits breached (a probe over its threshold): the
   * operator log says so and the soak-breach notification goes out. It changes nothing else;
   * whoever watches decides whether a breach also ends the soak.
   *
   * @param step the soak step
   * @param breach what was measured against which limit, such as "p95 212 ms over 150 ms"
   */
  public void soakBreach(String step, String breach) {
    log("soak-breach", step, "ferry", null, breach);
    publish();
    events.record(Notices.soakBreach(step, breach));
  }

  /**
   * Runs the roadmap's checklist, and rolls back when it stops short. Cancelling the workflow (the
   * Web UI's Cancel) also rolls back, in a scope the cancellation cannot reach.
   */
  public RunbookResult run(Runnable checklist) {
    // runs started before approval policies keep one-approval gates when they replay
    policyVersion =
        Workflow.getVersion(
            APPROVAL_POLICY_CHANGE, Workflow.DEFAULT_VERSION, APPROVAL_POLICY_VERSION);
    if (policyVersion >= APPROVAL_POLICY_VERSION) {
      startedBy = (String) Workflow.getMemo(MigrationMemo.STARTED_BY, String.class);
    }
    startedAt = now();
    publish();
    try {
      checklist.run();
      currentStep = null;
      outcome =
          "completed: "
              + count(StepState.DONE)
              + " steps done"
              + (count(StepState.SKIPPED) > 0 ? ", " + count(StepState.SKIPPED) + " skipped" : "")
              + (count(StepState.NOT_NEEDED) > 0
                  ? ", " + count(StepState.NOT_NEEDED) + " not needed"
                  : "");
      enter(RunbookState.COMPLETED);
      events.record(Notices.completed(roadmap, outcome));
    } catch (RollbackSignal signal) {
      // Detached: a cancel that arrives while undoing must not strand half-undone infrastructure.
      Workflow.newDetachedCancellationScope(() -> rollBack(signal.getMessage())).run();
    } catch (CanceledFailure cancelled) {
      Workflow.newDetachedCancellationScope(
              () -> {
                rollBack("the workflow was cancelled");
                events.awaitLastDeliveries();
              })
          .run();
      throw cancelled;
    }
    events.awaitLastDeliveries();
    return new RunbookResult(state, outcome, status());
  }

  // ---------------------------------------------------------------- operator controls

  /** Why the request cannot apply now, or null when it can. Never changes anything. */
  public String refusal(OperatorAction action, OperatorInput input) {
    if (action == null) {
      return "no action given; one of pause, resume, approve, reject, complete, retry, skip, rollback, extend-soak, end-soak";
    }
    OperatorInput in = input == null ? OperatorInput.by(null) : input;
    if (state.isFinal()) {
      return "the migration has already ended ("
          + state.wireName()
          + "); there is nothing to "
          + action.wireName();
    }
    String target = in.target() == null || in.target().isBlank() ? null : in.target();
    return switch (action) {
      case PAUSE ->
          pauseRequested
              ? "already paused (or pausing at the next step boundary)"
              : rollingBack ? "the migration is rolling back; it cannot be paused" : null;
      case RESUME ->
          pauseRequested ? null : "the migration is not paused; there is nothing to resume";
      case APPROVE -> {
        String closed = gateRefusal(target);
        yield closed != null ? closed : gates.policyRefusal(target, in, startedBy);
      }
      case REJECT -> gateRefusal(target);
      case COMPLETE -> manualRefusal(target);
      case RETRY, SKIP -> decisionRefusal(action, target);
      case ROLLBACK -> rollbackRefusal();
      case EXTEND_SOAK -> extendRefusal(in);
      case END_SOAK -> soak == null ? "no soak is running" : null;
    };
  }

  /** Applies a request; a signal that cannot apply is logged as ignored. */
  public OperatorReply apply(OperatorAction action, OperatorInput input, boolean fromSignal) {
    OperatorInput in = input == null ? OperatorInput.by(null) : input;
    String refused = refusal(action, in);
    String actionName = action == null ? "unknown" : action.wireName();
    if (refused != null) {
      log(actionName, in.target(), in.who(), in.comment(), "ignored: " + refused);
      if (!fromSignal) {
        throw new IllegalArgumentException(refused);
      }
      return new OperatorReply("ignored: " + refused, state);
    }
    String message = applyChecked(action, in);
    log(actionName, in.target(), in.who(), in.comment(), "accepted");
    return new OperatorReply(message, state);
  }

  private String applyChecked(OperatorAction action, OperatorInput in) {
    switch (action) {
      case PAUSE -> {
        pauseRequested = true;
        return "pausing at the next step boundary";
      }
      case RESUME -> {
        pauseRequested = false;
        return "resuming";
      }
      case APPROVE -> {
        return gates.approve(in.target(), in, now());
      }
      case REJECT -> {
        gates.close(in.target(), "rejected", in, now());
        return "gate " + in.target() + " rejected; rolling back";
      }
      case COMPLETE -> {
        String id =
            in.target() == null || in.target().isBlank() ? waitingManualStep() : in.target();
        completedManualSteps.put(id, in);
        return "manual step " + id + " marked done";
      }
      case RETRY, SKIP -> {
        decision = action;
        decisionBy = in;
        return (action == OperatorAction.RETRY ? "retrying " : "skipping ")
            + parked.during()
            + " of "
            + parked.step();
      }
      case ROLLBACK -> {
        rollbackRequest = in;
        return "rolling back";
      }
      case EXTEND_SOAK -> {
        Duration more = Durations.parse(in.duration());
        soak = new SoakStatus(soak.id(), soak.startedAt(), soak.endsAt().plus(more));
        return "soak extended by " + Durations.format(more) + " to " + Times.format(soak.endsAt());
      }
      case END_SOAK -> {
        soakEndRequested = true;
        return "ending the soak now";
      }
      default -> throw new IllegalStateException("unhandled action " + action);
    }
  }

  private String gateRefusal(String target) {
    return gates.refusal(target, defs, roadmap, currentStep);
  }

  private String manualRefusal(String target) {
    String waiting = waitingManualStep();
    if (target == null) {
      return waiting == null ? "no manual step is waiting" : null;
    }
    StepDef def = defs.get(target);
    if (def == null || def.kind() != StepKind.MANUAL) {
      return "'" + target + "' is not a manual step of " + roadmap;
    }
    if (completedManualSteps.containsKey(target)) {
      return "manual step " + target + " is already done";
    }
    return target.equals(waiting) ? null : "manual step " + target + " is not waiting yet";
  }

  private String decisionRefusal(OperatorAction action, String target) {
    if (parked == null) {
      return "no step is parked"
          + (target == null ? "" : " ('" + target + "' is not waiting for a decision)")
          + "; retry and skip apply only after a failure";
    }
    if (target != null && !target.equals(parked.step())) {
      return "'" + target + "' is not parked; the parked step is " + parked.step();
    }
    if (decision != null) {
      return "a decision (" + decision.wireName() + ") is already being carried out";
    }
    if (!parked.choices().contains(action.wireName())) {
      return action.wireName()
          + " is not possible for "
          + parked.step()
          + "; choose "
          + String.join(" or ", parked.choices());
    }
    return null;
  }

  private String rollbackRefusal() {
    if (pointOfNoReturn != null) {
      StepDef def = defs.get(pointOfNoReturn);
      return "rollback refused: step "
          + pointOfNoReturn
          + " ("
          + def.title()
          + ") is a point of no return and ran at "
          + pointOfNoReturnAt
          + "; the steps before it can no longer be undone";
    }
    if (rollingBack) {
      return "already rolling back"
          + (parked == null
              ? ""
              : "; the undo of " + parked.step() + " failed: choose retry or skip");
    }
    if (rollbackRequest != null) {
      return "rollback already requested by " + rollbackRequest.who();
    }
    return null;
  }

  private String extendRefusal(OperatorInput in) {
    if (soak == null) {
      return "no soak is running";
    }
    try {
      Duration more = Durations.parse(in.duration());
      if (more.isNegative() || more.isZero()) {
        return "extend the soak by a positive duration, such as 2d";
      }
      if (more.compareTo(Duration.ofDays(90)) > 0) {
        return "extend the soak by at most 90d at a time";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  // ---------------------------------------------------------------- status

  public RunbookStatus status() {
    return new RunbookStatus(
        roadmap,
        plan.name(),
        Workflow.getInfo().getWorkflowId(),
        state,
        phase,
        currentStep,
        startedAt,
        updatedAt,
        List.copyOf(steps.values()),
        List.copyOf(gates.all()),
        parked,
        soak,
        pointOfNoReturn,
        List.copyOf(operatorLog),
        outcome,
        nextWakeAt);
  }

  // ---------------------------------------------------------------- internals

  private <A, R> R attempt(StepDef def, Class<A> activities, Function<A, R> action) {
    int run = 0;
    while (true) {
      run++;
      Instant started = now();
      update(def.id(), s -> s.started(started));
      enter(RunbookState.RUNNING);
      try {
        A stub = stub(activities, def, new StepCall(def.id(), false, run), def.title());
        R result = interruptible(() -> action.apply(stub));
        String summary = result instanceof Summarized s ? s.summary() : null;
        update(def.id(), s -> s.ended(StepState.DONE, now(), null, summary));
        if (def.kind() == StepKind.POINT_OF_NO_RETURN) {
          pointOfNoReturn = def.id();
          pointOfNoReturnAt = now();
        }
        publish();
        if (def.kind() == StepKind.POINT_OF_NO_RETURN) {
          events.record(Notices.pointOfNoReturnPassed(def, summary));
        }
        return result;
      } catch (ActivityFailure failure) {
        String error = describe(failure);
        update(def.id(), s -> s.ended(StepState.FAILED, now(), error, null));
        if (rollbackRequest != null) {
          throw new RollbackSignal(
              "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
        }
        // An irreversible step that failed may have done part of its work: a person decides.
        if (pointOfNoReturn == null
            && plan.failurePolicy() == FailurePolicy.ROLLBACK
            && def.kind() != StepKind.POINT_OF_NO_RETURN) {
          throw new RollbackSignal("step " + def.id() + " failed: " + error);
        }
        List<String> choices = new ArrayList<>(List.of("retry"));
        if (def.skippable()) {
          choices.add("skip");
        }
        if (pointOfNoReturn == null) {
          choices.add("rollback");
        }
        OperatorAction chosen = park(def.id(), "step", error, choices);
        if (chosen == OperatorAction.SKIP) {
          update(
              def.id(),
              s ->
                  s.ended(
                      StepState.SKIPPED,
                      now(),
                      error,
                      "skipped by " + decisionBy.who() + comment(decisionBy)));
          publish();
          return null;
        }
        if (chosen == OperatorAction.ROLLBACK) {
          throw new RollbackSignal(
              "rollback chosen by "
                  + rollbackRequest.who()
                  + " after step "
                  + def.id()
                  + " failed: "
                  + error);
        }
      }
    }
  }

  /**
   * Runs an activity call in its own cancellation scope, so an operator's rollback interrupts a
   * long step instead of waiting hours for it to finish.
   */
  private <R> R interruptible(java.util.function.Supplier<R> call) {
    List<Promise<R>> promise = new ArrayList<>(1);
    CancellationScope scope =
        Workflow.newCancellationScope(() -> promise.add(Async.function(call::get)));
    scope.run();
    Workflow.await(() -> promise.get(0).isCompleted() || rollbackRequest != null);
    if (!promise.get(0).isCompleted()) {
      scope.cancel("rollback requested by " + rollbackRequest.who());
    }
    return promise.get(0).get();
  }

  /** Parks until an operator chooses; returns the choice (a rollback request counts as one). */
  private OperatorAction park(String stepId, String during, String error, List<String> choices) {
    parked = new Parked(stepId, during, error, List.copyOf(choices));
    decision = null;
    decisionBy = null;
    RunbookState before = state;
    enter(RunbookState.AWAITING_DECISION);
    events.record(Notices.stepParked(defs.get(stepId), during, error, steps.values(), choices));
    boolean rollbackAllowed = choices.contains("rollback");
    Workflow.await(() -> decision != null || (rollbackAllowed && rollbackRequest != null));
    OperatorAction chosen = decision != null ? decision : OperatorAction.ROLLBACK;
    parked = null;
    decision = null;
    enter(before == RunbookState.ROLLING_BACK ? RunbookState.ROLLING_BACK : RunbookState.RUNNING);
    return chosen;
  }

  /** Undoes every registered step in reverse order; a failed undo parks for retry or skip. */
  private void rollBack(String reason) {
    rollingBack = true;
    // a cancel can arrive while a step is parked; that question is moot now
    parked = null;
    decision = null;
    outcome = reason;
    currentStep = null;
    enter(RunbookState.ROLLING_BACK);
    while (!compensations.isEmpty()) {
      Compensation compensation = compensations.peek();
      StepDef def = compensation.def();
      currentStep = def.id();
      phase = def.phase();
      int run = 0;
      while (true) {
        run++;
        update(def.id(), s -> s.compensation(StepState.COMPENSATING, "running", null));
        publish();
        try {
          Object stub =
              stub(
                  compensation.activities(),
                  def,
                  new StepCall(def.id(), true, run),
                  "Undo " + def.id() + ": " + def.undo());
          compensation.run(stub);
          update(def.id(), s -> s.compensation(StepState.COMPENSATED, "done", null));
          break;
        } catch (ActivityFailure failure) {
          String error = describe(failure);
          update(
              def.id(),
              s ->
                  s.compensation(StepState.COMPENSATION_FAILED, "failed", "undo failed: " + error));
          OperatorAction chosen = park(def.id(), "compensation", error, List.of("retry", "skip"));
          if (chosen == OperatorAction.SKIP) {
            update(
                def.id(),
                s ->
                    s.compensation(
                        StepState.COMPENSATION_SKIPPED, "skipped by " + decisionBy.who(), null));
            break;
          }
        }
      }
      compensations.pop();
    }
    currentStep = null;
    outcome = "rolled back: " + reason;
    enter(RunbookState.ROLLED_BACK);
    events.record(Notices.rollbackFinished(reason, outcome, steps.values()));
  }

  private <A> A stub(Class<A> activities, StepDef def, StepCall id, String title) {
    return Workflow.newActivityStub(
        activities, def.profile().options(id, id.activityId() + ": " + title));
  }

  private void boundary(StepDef def) {
    if (rollbackRequest != null) {
      throw new RollbackSignal(
          "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
    }
    phase = def.phase();
    currentStep = def.id();
    if (pauseRequested) {
      enter(RunbookState.PAUSED);
      Workflow.await(() -> !pauseRequested || rollbackRequest != null);
      if (rollbackRequest != null) {
        throw new RollbackSignal(
            "rollback requested by " + rollbackRequest.who() + comment(rollbackRequest));
      }
    }
    enter(RunbookState.RUNNING);
  }

  private boolean awaitOrTimeout(Duration timeout, java.util.function.Supplier<Boolean> condition) {
    if (timeout == null) {
      Workflow.await(condition);
      return true;
    }
    return awaitUntil(timeout, condition);
  }

  /**
   * A durable timed wait whose wake-up time the status shows meanwhile, so a rehearsal can skip
   * straight to it. The same command as {@code Workflow.await(timeout, condition)}.
   */
  private boolean awaitUntil(Duration timeout, java.util.function.Supplier<Boolean> condition) {
    nextWakeAt = now().plus(timeout);
    try {
      return Workflow.await(timeout, condition);
    } finally {
      nextWakeAt = null;
    }
  }

  private boolean gatePending(String id) {
    return gates.pending(id);
  }

  private String waitingManualStep() {
    return steps.values().stream()
        .filter(s -> s.kind() == StepKind.MANUAL && s.state() == StepState.WAITING)
        .map(StepStatus::id)
        .findFirst()
        .orElse(null);
  }

  private Instant deadline(Duration timeout) {
    return timeout == null ? null : now().plus(timeout);
  }

  private void requireKind(StepDef def, StepKind kind) {
    if (def.kind() != kind) {
      throw new IllegalArgumentException(
          "step " + def.id() + " is " + def.kind() + ", not " + kind);
    }
    if (!defs.containsKey(def.id())) {
      throw new IllegalArgumentException(
          "step " + def.id() + " is not in the " + roadmap + " step table");
    }
  }

  private void update(String id, java.util.function.UnaryOperator<StepStatus> change) {
    steps.put(id, change.apply(steps.get(id)));
  }

  private void enter(RunbookState next) {
    state = next;
    publish();
  }

  private long count(StepState s) {
    return steps.values().stream().filter(st -> st.state() == s).count();
  }

  private void log(String action, String target, String by, String comment, String result) {
    operatorLog.add(new OperatorEntry(now(), action, target, by, comment, result));
  }

  /** Keeps the Web UI current: search attributes (only when they change) and current details. */
  private void publish() {
    updatedAt = now();
    String stateName = state.wireName();
    String phaseName = phase == null ? "starting" : phase;
    if (!stateName.equals(publishedState) || !phaseName.equals(publishedPhase)) {
      Workflow.upsertTypedSearchAttributes(
          FerrySearchAttributes.ROADMAP.valueSet(roadmap),
          FerrySearchAttributes.STATE.valueSet(stateName),
          FerrySearchAttributes.PHASE.valueSet(phaseName));
      publishedState = stateName;
      publishedPhase = phaseName;
    }
    StringBuilder details = new StringBuilder();
    details.append("**").append(stateName).append("**");
    if (phase != null) {
      details.append(" · phase `").append(phase).append('`');
    }
    if (currentStep != null) {
      details
          .append(" · step `")
          .append(currentStep)
          .append("` ")
          .append(defs.get(currentStep).title());
    }
    gates.all().stream()
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
    if (soak != null) {
      details.append("\n\nSoaking until ").append(Times.format(soak.endsAt()));
    }
    if (outcome != null && state.isFinal()) {
      details.append("\n\n").append(outcome);
    }
    Workflow.setCurrentDetails(details.toString());
  }

  static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage() + " (" + app.getType() + ")";
    }
    if (cause instanceof TimeoutFailure timeout) {
      return "timed out ("
          + timeout
              .getTimeoutType()
              .name()
              .toLowerCase(java.util.Locale.ROOT)
              .replace("timeout_type_", "")
          + ")";
    }
    if (cause instanceof CanceledFailure) {
      return "cancelled";
    }
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return failure.getOriginalMessage();
  }

  /** "approved by ann (go)", or with a quorum "approved by ann (go), bob (checked)". */
  private static String approvedBy(GateStatus gate) {
    if (gate.approvals().size() <= 1) {
      return "approved by " + gate.by() + comment(gate.comment());
    }
    return "approved by "
        + String.join(
            ", ", gate.approvals().stream().map(a -> a.by() + comment(a.comment())).toList());
  }

  private static String comment(OperatorInput in) {
    return in == null ? "" : comment(in.comment());
  }

  private static String comment(String comment) {
    return comment == null || comment.isBlank() ? "" : " (" + comment + ")";
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  /** A registered compensation: the step it undoes and the call that undoes it. */
  private record Compensation(StepDef def, Class<?> activities, Consumer<?> undo) {
    @SuppressWarnings("unchecked")
    void run(Object stub) {
      ((Consumer<Object>) undo).accept(stub);
    }
  }

  /** Unwinds the checklist to the rollback; never leaves the workflow. */
  private static final class RollbackSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RollbackSignal(String reason) {
      super(reason, null, false, false);
    }
  }
}
