package io.ferry.activities.sim;

import io.ferry.runbook.FailureTypes;
import io.ferry.runbook.StepCall;
import io.ferry.runbook.StepContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Applies a {@link FaultPlan} around activity calls, matching faults to the step named in each
 * call's {@code ferry-step} header. Transient faults count attempts per fault across the fleet.
 */
final class FaultInjector extends WorkerInterceptorBase {

  private final FaultPlan plan;
  private final Map<Fault, AtomicInteger> attempts = new ConcurrentHashMap<>();

  FaultInjector(FaultPlan plan) {
    this.plan = plan;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        return around(
            StepContext.decode(input.getHeader().getValues()), () -> super.execute(input));
      }
    };
  }

  <T> T around(StepCall step, Supplier<T> call) {
    if (step == null) {
      return call.get();
    }
    for (Fault fault : plan.faults()) {
      if (matches(fault, step, Fault.When.BEFORE)) {
        fail(fault, step);
      }
    }
    T result = call.get();
    for (Fault fault : plan.faults()) {
      if (matches(fault, step, Fault.When.AFTER)) {
        fail(fault, step);
      }
    }
    return result;
  }

  private static boolean matches(Fault fault, StepCall step, Fault.When when) {
    return fault.when() == when
        && fault.step().equals(step.step())
        && fault.compensation() == step.compensation();
  }

  private void fail(Fault fault, StepCall step) {
    String where = step.activityId();
    if (fault.permanent()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "injected fault at " + where + " (" + fault.when().name().toLowerCase() + " its effect)",
          FailureTypes.INJECTED_FAULT);
    }
    if (attempts.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet()
        <= fault.failures()) {
      throw new RuntimeException("injected transient fault at " + where);
    }
  }
}
