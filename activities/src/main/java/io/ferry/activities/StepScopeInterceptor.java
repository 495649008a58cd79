package io.ferry.activities;

import io.ferry.runbook.StepContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Reads the {@code ferry-step} header of each activity call and makes it {@link
 * ActivityStep#current()} while the activity runs.
 */
public final class StepScopeInterceptor extends WorkerInterceptorBase {

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        return ActivityStep.with(
            StepContext.decode(input.getHeader().getValues()), () -> super.execute(input));
      }
    };
  }
}
