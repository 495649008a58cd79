package io.ferry.runbook;

/**
 * Which call of which step an activity call is: the step's action or its undo, in the n-th operator
 * run. Written as text ({@code <step>}, {@code <step>#<n>} for the n-th retry, {@code undo:<step>}
 * for the compensation), it is also the call's Temporal activity id and its {@link StepContext}
 * header, so workers attribute effects to steps without a parameter in every call.
 */
public record StepCall(String step, boolean compensation, int run) {

  private static final String UNDO = "undo:";

  public static StepCall parse(String activityId) {
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
    return new StepCall(rest, undo, run);
  }

  public String activityId() {
    return (compensation ? UNDO : "") + step + (run > 1 ? "#" + run : "");
  }
}
