package io.ferry.activities.sim;

/**
 * A fault injected into one step's activity call (or its compensation's).
 *
 * @param failures {@link Integer#MAX_VALUE}: every attempt fails with a non-retryable {@code
 *     InjectedFault}; n: the first n attempts fail with a retryable exception, then they succeed
 * @param when {@code BEFORE}: fail without running the activity; {@code AFTER}: run it (its effect
 *     lands in the ledger), then fail
 */
public record Fault(String step, boolean compensation, When when, int failures) {

  public enum When {
    BEFORE,
    AFTER
  }

  public Fault {
    if (step == null || step.isBlank()) {
      throw new IllegalArgumentException("a fault names the step it hits");
    }
    if (when == null) {
      throw new IllegalArgumentException("a fault says when it hits: BEFORE or AFTER");
    }
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1, was " + failures);
    }
  }

  public boolean permanent() {
    return failures == Integer.MAX_VALUE;
  }
}
