package io.ferry.plan;

/**
 * The plan's approval defaults, for every gate that does not set its own.
 *
 * @param onePersonTeam true where one person runs the migration alone: the gate in front of a point
 *     of no return then needs one approver instead of two (a comment is still required)
 */
public record Approvals(Boolean onePersonTeam) implements Checked {

  public static final Approvals DEFAULTS = new Approvals(false);

  public Approvals {
    onePersonTeam = onePersonTeam != null && onePersonTeam;
  }

  @Override
  public void check(PlanChecks checks) {
    // a boolean has nothing more to check; the record exists so the section can grow
  }
}
