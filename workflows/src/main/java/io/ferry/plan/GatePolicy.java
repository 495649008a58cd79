package io.ferry.plan;

import java.time.Duration;

/**
 * How long a gate waits and what it does then.
 *
 * @param timeout how long to wait for a decision; null waits forever
 * @param onTimeout rollback (the default) or remind-and-wait
 */
public record GatePolicy(Duration timeout, OnTimeout onTimeout) implements Checked {

  public static final GatePolicy WAIT_FOREVER = new GatePolicy(null, OnTimeout.ROLLBACK);

  public GatePolicy {
    onTimeout = onTimeout == null ? OnTimeout.ROLLBACK : onTimeout;
  }

  @Override
  public void check(PlanChecks checks) {
    checks.positive("timeout", timeout);
  }
}
