package io.ferry.reliability;

import io.ferry.runbook.StepCall;
import io.ferry.runbook.StepContext;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every activity execution a worker runs, with the step its {@code ferry-step} header
 * names: which steps actually ran, which compensations ran, how often and in what order.
 */
final class StepCalls extends WorkerInterceptorBase {

  /** One activity execution: the step, the activity, Temporal's attempt, and how it ended. */
  record Call(StepCall step, String activity, int attempt, boolean succeeded) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        StepCall step = StepContext.decode(input.getHeader().getValues());
        boolean ok = false;
        try {
          ActivityOutput output = super.execute(input);
          ok = true;
          return output;
        } finally {
          if (step != null) {
            calls.add(
                new Call(
                    step, context.getInfo().getActivityType(), context.getInfo().getAttempt(), ok));
          }
        }
      }
    };
  }

  List<Call> all() {
    return List.copyOf(calls);
  }

  /** Steps whose own activity ran, in the order they first ran (= compensation registration). */
  List<String> stepsRun() {
    Set<String> steps = new LinkedHashSet<>();
    calls.stream().filter(c -> !c.step().compensation()).forEach(c -> steps.add(c.step().step()));
    return List.copyOf(steps);
  }

  /** Compensations in the order they ran. */
  List<String> compensationsRun() {
    Set<String> steps = new LinkedHashSet<>();
    calls.stream().filter(c -> c.step().compensation()).forEach(c -> steps.add(c.step().step()));
    return List.copyOf(steps);
  }

  /**
   * Problems with how compensations ran: each once (one workflow-level run, one Temporal attempt
   * per call) and in one uninterrupted block.
   */
  List<String> compensationProblems() {
    List<String> problems = new ArrayList<>();
    List<Call> undos = calls.stream().filter(c -> c.step().compensation()).toList();
    String previous = null;
    Set<String> finished = new LinkedHashSet<>();
    for (Call c : undos) {
      String step = c.step().step();
      if (c.step().run() > 1 || c.attempt() > 1) {
        problems.add("undo of " + step + " ran more than once (" + c + ")");
      }
      if (!step.equals(previous)) {
        if (!finished.add(step)) {
          problems.add("undo of " + step + " ran again after other undos");
        }
        previous = step;
      }
    }
    return problems;
  }
}
