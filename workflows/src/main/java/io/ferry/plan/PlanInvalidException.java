package io.ferry.plan;

import java.util.List;
import java.util.stream.Collectors;

/** A plan that must not start, with every problem found in it. */
public final class PlanInvalidException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<PlanProblem> problems;

  public PlanInvalidException(String source, List<PlanProblem> problems) {
    super(
        source
            + " is not a valid plan ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n"
            + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<PlanProblem> problems() {
    return problems;
  }
}
