package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.SimFixture;
import io.ferry.runbook.FailureTypes;
import io.ferry.runbook.StepCall;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

  private static final StepCall STEP = StepCall.parse("create-volume");
  private static final StepCall UNDO = StepCall.parse("undo:create-volume");
  private final AtomicInteger effects = new AtomicInteger();

  private Integer effect() {
    return effects.incrementAndGet();
  }

  @Test
  void permanentFaultAfter_letsTheEffectLandThenFailsNonRetryably() {
    FaultInjector injector = new FaultInjector(FaultPlan.failAt("create-volume"));

    ApplicationFailure failure = SimFixture.failureOf(() -> injector.around(STEP, this::effect));

    assertThat(effects).hasValue(1);
    assertThat(failure.getType()).isEqualTo(FailureTypes.INJECTED_FAULT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("create-volume");
  }

  @Test
  void faultBefore_failsWithoutRunningTheActivity() {
    FaultInjector injector =
        new FaultInjector(
            FaultPlan.none()
                .and(new Fault("create-volume", false, Fault.When.BEFORE, Integer.MAX_VALUE)));

    SimFixture.failureOf(() -> injector.around(STEP, this::effect));

    assertThat(effects).hasValue(0);
  }

  @Test
  void transientFault_failsTheFirstAttemptsRetryablyThenSucceeds() {
    FaultInjector injector =
        new FaultInjector(
            FaultPlan.none().and(new Fault("create-volume", false, Fault.When.BEFORE, 2)));

    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThatThrownBy(() -> injector.around(STEP, this::effect))
          .isExactlyInstanceOf(RuntimeException.class)
          .hasMessage("injected transient fault at create-volume");
    }
    assertThat(injector.around(STEP, this::effect)).isEqualTo(1);
  }

  @Test
  void compensationFault_hitsOnlyTheCompensation() {
    FaultInjector injector =
        new FaultInjector(
            FaultPlan.none()
                .and(new Fault("create-volume", true, Fault.When.AFTER, Integer.MAX_VALUE)));

    assertThat(injector.around(STEP, this::effect)).isEqualTo(1);
    ApplicationFailure failure = SimFixture.failureOf(() -> injector.around(UNDO, this::effect));

    assertThat(failure.getOriginalMessage()).contains("undo:create-volume");
    assertThat(effects).hasValue(2);
  }

  @Test
  void callsWithoutAStepHeader_areNeverFaulted() {
    FaultInjector injector = new FaultInjector(FaultPlan.failAt("create-volume"));

    assertThat(injector.around(null, this::effect)).isEqualTo(1);
  }
}
