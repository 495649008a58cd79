package io.ferry.runbook;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of a roadmap's checklist. Roadmaps declare these as constants so the step list can be
 * read without running the workflow: {@code ferry roadmaps}, the fault matrix and the docs use it.
 *
 * @param id stable id, kebab-case; also the activity id, so fault injection and the Web UI see it
 * @param title what the step does, in the operator's words
 * @param phase the phase the step belongs to
 * @param kind what the step does to the world
 * @param undo what the compensation does, for effect steps; null otherwise
 * @param profile activity options for the step's activity
 * @param skippable whether an operator may skip it after a failure (false when later steps need its
 *     result)
 * @param conditional whether the step runs only when a decision calls for it
 */
public record StepDef(
    String id,
    String title,
    String phase,
    StepKind kind,
    String undo,
    ActivityProfile profile,
    boolean skippable,
    boolean conditional) {

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  public StepDef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(profile, "profile");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("step id must be kebab-case: " + id);
    }
    if (kind == StepKind.EFFECT && (undo == null || undo.isBlank())) {
      throw new IllegalArgumentException("effect step " + id + " must say what its undo does");
    }
  }

  public static StepDef effect(String phase, String id, String title, String undo) {
    return new StepDef(id, title, phase, StepKind.EFFECT, undo, ActivityProfile.SHORT, true, false);
  }

  public static StepDef check(String phase, String id, String title) {
    return new StepDef(
        id, title, phase, StepKind.READ_ONLY, null, ActivityProfile.SHORT, true, false);
  }

  public static StepDef gate(String phase, String id, String title) {
    return new StepDef(id, title, phase, StepKind.GATE, null, ActivityProfile.SHORT, false, false);
  }

  public static StepDef manual(String phase, String id, String title) {
    return new StepDef(
        id, title, phase, StepKind.MANUAL, null, ActivityProfile.SHORT, false, false);
  }

  public static StepDef soak(String phase, String id, String title) {
    return new StepDef(id, title, phase, StepKind.SOAK, null, ActivityProfile.SHORT, false, false);
  }

  public static StepDef pointOfNoReturn(String phase, String id, String title) {
    return new StepDef(
        id, title, phase, StepKind.POINT_OF_NO_RETURN, null, ActivityProfile.SHORT, true, false);
  }

  public StepDef profile(ActivityProfile newProfile) {
    return new StepDef(id, title, phase, kind, undo, newProfile, skippable, conditional);
  }

  /** Later steps use this step's result, so skipping it after a failure is refused. */
  public StepDef notSkippable() {
    return new StepDef(id, title, phase, kind, undo, profile, false, conditional);
  }

  public StepDef onlyWhenDecided() {
    return new StepDef(id, title, phase, kind, undo, profile, skippable, true);
  }

  public boolean runsActivity() {
    return kind == StepKind.EFFECT
        || kind == StepKind.READ_ONLY
        || kind == StepKind.POINT_OF_NO_RETURN;
  }
}
