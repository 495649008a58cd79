package io.ferry.plan;

/**
 * One thing wrong with a plan.
 *
 * @param field the path of the field in the plan file, such as {@code vectorNode.size}
 * @param message what is wrong and what to do
 */
public record PlanProblem(String field, String message) {
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
