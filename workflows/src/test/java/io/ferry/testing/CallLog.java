package io.ferry.testing;

import io.ferry.runbook.StepCall;
import io.ferry.runbook.StepContext;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every activity execution with the step it belongs to (read from the {@code ferry-step}
 * header), Temporal's attempt and how it ended, and injects failures by step, so workflow tests can
 * check which steps and compensations ran, how often and in what order.
 */
public final class CallLog extends WorkerInterceptorBase {

  /** One activity execution: the step header, the activity type, the attempt, how it ended. */
  public record Call(StepCall step, String activityType, int attempt, boolean succeeded) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  /** Fails the step's call (or {@code undo:step} for its compensation) this many times. */
  public CallLog failAt(String activityId, int times) {
    failuresLeft.put(activityId, new AtomicInteger(times));
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Steps whose compensation ran successfully, in the order they ran. */
  public List<String> compensated() {
    return calls.stream()
        .filter(c -> c.step().compensation() && c.succeeded())
        .map(c -> c.step().step())
        .toList();
  }

  public long compensationCalls(String step) {
    return calls.stream()
        .filter(c -> c.step().compensation() && c.step().step().equals(step))
        .count();
  }

  /** Steps whose own activity ran, in the order they first ran (= compensation registration). */
  public List<String> stepsRun() {
    return calls.stream()
        .filter(c -> !c.step().compensation())
        .map(c -> c.step().step())
        .distinct()
        .toList();
  }

  /** Compensations in the order they first ran, whether or not they succeeded. */
  public List<String> compensationsRun() {
    return calls.stream()
        .filter(c -> c.step().compensation())
        .map(c -> c.step().step())
        .distinct()
        .toList();
  }

  /**
   * Problems with how compensations ran: each once (one workflow-level run, one Temporal attempt
   * per call) and in one uninterrupted block.
   */
  public List<String> compensationProblems() {
    List<String> problems = new ArrayList<>();
    String previous = null;
    Set<String> finished = new LinkedHashSet<>();
    for (Call c : calls) {
      if (!c.step().compensation()) {
        continue;
      }
      String step = c.step().step();
      if (c.step().run() > 1 || c.attempt() > 1) {
        problems.add("undo of " + step + " ran more than once (" + c + ")");
      }
      if (!step.equals(previous)) {
        if (!finished.add(step)) {
          problems.add("undo of " + step + " ran again after other undos");
        }
        previous = step;
      }
    }
    return problems;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String type = context.getInfo().getActivityType();
        StepCall step = StepContext.decode(input.getHeader().getValues());
        if (step == null) {
          throw new IllegalStateException(
              "activity " + type + " called without a ferry-step header");
        }
        boolean succeeded = false;
        try {
          String failKey = step.compensation() ? "undo:" + step.step() : step.step();
          AtomicInteger left = failuresLeft.get(failKey);
          if (left != null && left.getAndDecrement() > 0) {
            throw ApplicationFailure.newNonRetryableFailure(
                "injected failure at " + failKey, "InjectedFault");
          }
          ActivityOutput output = super.execute(input);
          succeeded = true;
          return output;
        } finally {
          calls.add(new Call(step, type, context.getInfo().getAttempt(), succeeded));
        }
      }
    };
  }
}
