package io.ferry.runbook;

/**
 * The activity id of a step's call: {@code <step>} for the first run, {@code <step>#<n>} for the
 * n-th operator retry, {@code undo:<step>} for its compensation. Workers read it to attribute
 * effects to steps (the simulated ledger, fault injection) without a parameter in every call.
 */
public record StepActivityId(String step, boolean compensation, int run) {

  private static final String UNDO = "undo:";

  public static StepActivityId parse(String activityId) {
    String rest = activityId;
    boolean undo = rest.startsWith(UNDO);
    if (undo) {
      rest = rest.substring(UNDO.length());
    }
    int run = 1;
    int hash = rest.lastIndexOf('#');
    if (hash > 0) {
      try {
        run = Integer.parseInt(rest.substring(hash + 1));
        rest = rest.substring(0, hash);
      } catch (NumberFormatException e) {
        // not one of ours; keep the whole id as the step
      }
    }
    return new StepActivityId(rest, undo, run);
  }

  public String activityId() {
    return (compensation ? UNDO : "") + step + (run > 1 ? "#" + run : "");
  }
}
