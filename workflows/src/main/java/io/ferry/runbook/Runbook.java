package io.ferry.runbook;

import io.ferry.plan.FailurePolicy;
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
 * {@link OperatorControls} checks and applies operator requests; the steps that wait have their own
 * classes ({@link ProbeRounds} for watches and holds, {@link Soaks}, {@link OperatorSteps} for
 * gates and manual steps); {@link WebUiDetails} keeps the Web UI current.
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
  private final Deque<Compensation> compensations = new ArrayDeque<>();
  private final List<OperatorEntry> operatorLog = new ArrayList<>();
  private final OperatorControls controls = new OperatorControls(this);
  private final WebUiDetails webUi = new WebUiDetails();
  private final ProbeRounds rounds = new ProbeRounds(this);
  private final Soaks soaks = new Soaks(this);
  private final OperatorSteps operatorSteps = new OperatorSteps(this);

  private RunbookState state = RunbookState.RUNNING;
  private String phase;
  private String currentStep;
  private Instant startedAt;
  private Instant updatedAt;
  private Parked parked;
  private String pointOfNoReturn;
  private Instant pointOfNoReturnAt;
  private String outcome;
  private boolean rollingBack;
  private Instant nextWakeAt;
  private int policyVersion = Workflow.DEFAULT_VERSION;
  private String startedBy;

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
        operatorSteps.guards(lastGate, def.id());
      }
    }
  }

  // ---------------------------------------------------------------- the checklist

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
    return rounds.watch(def, activities, probe, window, interval, failureBudget);
  }

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
    return rounds.hold(def, activities, probe, interval, timeout);
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
    end(def, StepState.NOT_NEEDED, null, why);
    publish();
  }

  /**
   * Waits for an operator to approve. A reject, or a timeout under the rollback policy, rolls back.
   */
  public void gate(StepDef def) {
    operatorSteps.gate(def);
  }

  /** Waits until an operator marks the checklist item done. */
  public void manual(StepDef def) {
    operatorSteps.manual(def);
  }

  /** A durable wait; operators may extend it or end it early, and may roll back during it. */
  public void soak(StepDef def, Duration duration) {
    soaks.soak(def, duration, null);
  }

  /**
   * A soak that wakes every {@code watch.interval()} to run one round of {@code watch} (see {@link
   * WatchedSoak}); without a watch it only waits.
   */
  public void soak(StepDef def, Duration duration, SoakWatch watch) {
    soaks.soak(def, duration, watch);
  }

  /** Shows {@code text} as the step's result before it runs: what an operator should know there. */
  public void brief(StepDef def, String text) {
    update(def.id(), s -> s.ended(s.state(), s.endedAt(), s.error(), text));
    publish();
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
    return controls.refusal(action, input);
  }

  /** Applies a request; a signal that cannot apply is logged as ignored. */
  public OperatorReply apply(OperatorAction action, OperatorInput input, boolean fromSignal) {
    return controls.apply(action, input, fromSignal);
  }

  // what the controls check a request against

  RunbookState state() {
    return state;
  }

  String roadmap() {
    return roadmap;
  }

  Map<String, StepDef> defs() {
    return defs;
  }

  String currentStep() {
    return currentStep;
  }

  GateBook gates() {
    return gates;
  }

  String startedBy() {
    return startedBy;
  }

  Parked parked() {
    return parked;
  }

  SoakStatus soak() {
    return soaks.current();
  }

  String pointOfNoReturn() {
    return pointOfNoReturn;
  }

  Instant pointOfNoReturnAt() {
    return pointOfNoReturnAt;
  }

  Plan plan() {
    return plan;
  }

  int policyVersion() {
    return policyVersion;
  }

  RunbookEvents events() {
    return events;
  }

  OperatorControls controls() {
    return controls;
  }

  boolean rollingBack() {
    return rollingBack;
  }

  /** Moves the running soak's end by {@code more}; the soak's loop sees it and waits longer. */
  SoakStatus extendSoak(Duration more) {
    return soaks.extend(more);
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
        soaks.current(),
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
        end(def, StepState.DONE, null, summary);
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
        end(def, StepState.FAILED, error, null);
        if (controls.rollbackRequested()) {
          throw new RollbackSignal(controls.rollbackReason());
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
          end(
              def,
              StepState.SKIPPED,
              error,
              "skipped by " + controls.decisionBy().who() + comment(controls.decisionBy()));
          publish();
          return null;
        }
        if (chosen == OperatorAction.ROLLBACK) {
          throw new RollbackSignal(
              "rollback chosen by "
                  + controls.rollbackRequest().who()
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
    Workflow.await(() -> promise.get(0).isCompleted() || controls.rollbackRequested());
    if (!promise.get(0).isCompleted()) {
      scope.cancel("rollback requested by " + controls.rollbackRequest().who());
    }
    return promise.get(0).get();
  }

  /** Parks until an operator chooses; returns the choice (a rollback request counts as one). */
  private OperatorAction park(String stepId, String during, String error, List<String> choices) {
    parked = new Parked(stepId, during, error, List.copyOf(choices));
    controls.clearDecision();
    RunbookState before = state;
    enter(RunbookState.AWAITING_DECISION);
    events.record(Notices.stepParked(defs.get(stepId), during, error, steps.values(), choices));
    boolean rollbackAllowed = choices.contains("rollback");
    Workflow.await(
        () -> controls.decision() != null || (rollbackAllowed && controls.rollbackRequested()));
    OperatorAction chosen =
        controls.decision() != null ? controls.decision() : OperatorAction.ROLLBACK;
    parked = null;
    controls.clearDecision();
    enter(before == RunbookState.ROLLING_BACK ? RunbookState.ROLLING_BACK : RunbookState.RUNNING);
    return chosen;
  }

  /** Undoes every registered step in reverse order; a failed undo parks for retry or skip. */
  private void rollBack(String reason) {
    rollingBack = true;
    // a cancel can arrive while a step is parked; that question is moot now
    parked = null;
    controls.clearDecision();
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
                        StepState.COMPENSATION_SKIPPED,
                        "skipped by " + controls.decisionBy().who(),
                        null));
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

  <A> A stub(Class<A> activities, StepDef def, StepCall id, String title) {
    return Workflow.newActivityStub(
        activities, def.profile().options(id, id.activityId() + ": " + title));
  }

  void boundary(StepDef def) {
    if (controls.rollbackRequested()) {
      throw new RollbackSignal(controls.rollbackReason());
    }
    phase = def.phase();
    currentStep = def.id();
    if (controls.pauseRequested()) {
      enter(RunbookState.PAUSED);
      Workflow.await(() -> !controls.pauseRequested() || controls.rollbackRequested());
      if (controls.rollbackRequested()) {
        throw new RollbackSignal(controls.rollbackReason());
      }
    }
    enter(RunbookState.RUNNING);
  }

  /**
   * A durable timed wait whose wake-up time the status shows meanwhile, so a rehearsal can skip
   * straight to it. The same command as {@code Workflow.await(timeout, condition)}.
   */
  boolean awaitUntil(Duration timeout, java.util.function.Supplier<Boolean> condition) {
    nextWakeAt = now().plus(timeout);
    try {
      return Workflow.await(timeout, condition);
    } finally {
      nextWakeAt = null;
    }
  }

  String waitingManualStep() {
    return steps.values().stream()
        .filter(s -> s.kind() == StepKind.MANUAL && s.state() == StepState.WAITING)
        .map(StepStatus::id)
        .findFirst()
        .orElse(null);
  }

  void requireKind(StepDef def, StepKind kind) {
    if (def.kind() != kind) {
      throw new IllegalArgumentException(
          "step " + def.id() + " is " + def.kind() + ", not " + kind);
    }
    if (!defs.containsKey(def.id())) {
      throw new IllegalArgumentException(
          "step " + def.id() + " is not in the " + roadmap + " step table");
    }
  }

  /** Ends {@code def} now in {@code state}, with why it failed or what it gave. */
  void end(StepDef def, StepState state, String error, String result) {
    update(def.id(), s -> s.ended(state, now(), error, result));
  }

  /** Fails {@code def} because an operator asked to roll back; throw it to unwind the checklist. */
  RollbackSignal failedByRollback(StepDef def, String why) {
    end(def, StepState.FAILED, why, null);
    return new RollbackSignal(controls.rollbackReason());
  }

  void update(String id, java.util.function.UnaryOperator<StepStatus> change) {
    steps.put(id, change.apply(steps.get(id)));
  }

  void enter(RunbookState next) {
    state = next;
    publish();
  }

  private long count(StepState s) {
    return steps.values().stream().filter(st -> st.state() == s).count();
  }

  void log(String action, String target, String by, String comment, String result) {
    operatorLog.add(new OperatorEntry(now(), action, target, by, comment, result));
  }

  /** Keeps the Web UI current. */
  void publish() {
    updatedAt = now();
    webUi.publish(
        new WebUiDetails.Shown(
            roadmap,
            state,
            phase,
            currentStep == null ? null : defs.get(currentStep),
            gates.all(),
            parked,
            soaks.current(),
            outcome));
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

  static String comment(OperatorInput in) {
    return in == null ? "" : comment(in.comment());
  }

  static String comment(String comment) {
    return comment == null || comment.isBlank() ? "" : " (" + comment + ")";
  }

  static Instant now() {
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
  static final class RollbackSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RollbackSignal(String reason) {
      super(reason, null, false, false);
    }
  }
}
