package io.ferry.activities;

import io.ferry.runbook.StepCall;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The step the activity running on this thread belongs to, as its {@code ferry-step} header named
 * it. {@link StepScopeInterceptor} sets it for the duration of each call; adapters read it to
 * attribute effects (the simulated ledger) without a step parameter in every port method.
 */
public final class ActivityStep {

  private static final ThreadLocal<StepCall> CURRENT = new ThreadLocal<>();

  private ActivityStep() {}

  /** The current step, or null outside a step's activity call. */
  public static StepCall current() {
    return CURRENT.get();
  }

  /** Runs {@code body} with {@code step} as the current step, restoring the previous one after. */
  public static <T> T with(StepCall step, Supplier<T> body) {
    StepCall previous = CURRENT.get();
    CURRENT.set(step);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** {@code task}, to run on another thread as part of the step current here. */
  public static <T> Callable<T> carried(Callable<T> task) {
    StepCall step = CURRENT.get();
    return () -> {
      CURRENT.set(step);
      try {
        return task.call();
      } finally {
        CURRENT.remove();
      }
    };
  }
}
