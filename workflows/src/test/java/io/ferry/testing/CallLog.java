package io.ferry.testing;

import io.ferry.runbook.StepCall;
import io.ferry.runbook.StepContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every activity call with the step it belongs to (read from the {@code ferry-step} header)
 * and injects failures by step, so workflow tests can check order and counts exactly.
 */
public final class CallLog extends WorkerInterceptorBase {

  /** One activity call: the step header and the activity type. */
  public record Call(StepCall step, String activityType, boolean succeeded) {}

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

  public List<String> stepsRun() {
    return calls.stream()
        .filter(c -> !c.step().compensation())
        .map(c -> c.step().step())
        .distinct()
        .toList();
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String type;

      @Override
      public void init(io.temporal.activity.ActivityExecutionContext context) {
        type = context.getInfo().getActivityType();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        StepCall step = StepContext.decode(input.getHeader().getValues());
        if (step == null) {
          throw new IllegalStateException(
              "activity " + type + " called without a ferry-step header");
        }
        String failKey = step.compensation() ? "undo:" + step.step() : step.step();
        AtomicInteger left = failuresLeft.get(failKey);
        if (left != null && left.getAndDecrement() > 0) {
          calls.add(new Call(step, type, false));
          throw ApplicationFailure.newNonRetryableFailure(
              "injected failure at " + failKey, "InjectedFault");
        }
        ActivityOutput output = super.execute(input);
        calls.add(new Call(step, type, true));
        return output;
      }
    };
  }
}
