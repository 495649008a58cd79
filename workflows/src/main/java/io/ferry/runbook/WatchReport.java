package io.ferry.runbook;

/**
 * What a monitor window saw.
 *
 * @param failureBudget how many failed rounds were allowed
 * @param lastFailure what the last failed round saw, or null
 */
public record WatchReport(int rounds, int failures, int failureBudget, String lastFailure)
    implements Summarized {
  @Override
  public String summary() {
    return rounds
        + (rounds == 1 ? " probe round, " : " probe rounds, ")
        + failures
        + " failed (budget "
        + failureBudget
        + ")"
        + (lastFailure == null ? "" : "; last failure: " + lastFailure);
  }
}
