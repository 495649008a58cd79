package io.ferry.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;

/**
 * How long a gate waits, what it does then, and who may approve it.
 *
 * @param timeout how long to wait for a decision; null waits forever
 * @param onTimeout rollback (the default) or remind-and-wait
 * @param quorum how many distinct people must approve; null takes the default (1, or 2 for the gate
 *     in front of a point of no return unless {@code approvals.onePersonTeam})
 * @param starterMayApprove whether the person who started the migration may approve; null allows it
 * @param commentRequired whether an approval must say why; null requires it only in front of a
 *     point of no return
 */
public record GatePolicy(
    Duration timeout,
    OnTimeout onTimeout,
    Integer quorum,
    Boolean starterMayApprove,
    Boolean commentRequired)
    implements Checked {

  /** More approvers than this is a typo, not a policy. */
  public static final int MAX_QUORUM = 9;

  public static final GatePolicy WAIT_FOREVER = new GatePolicy(null, OnTimeout.ROLLBACK);

  @JsonCreator
  public GatePolicy {
    onTimeout = onTimeout == null ? OnTimeout.ROLLBACK : onTimeout;
  }

  /** Timing only; who may approve follows the defaults. */
  public GatePolicy(Duration timeout, OnTimeout onTimeout) {
    this(timeout, onTimeout, null, null, null);
  }

  @Override
  public void check(PlanChecks checks) {
    checks.positive("timeout", timeout);
    checks.range("quorum", quorum, 1, MAX_QUORUM);
  }
}
