package io.ferry.activities;

import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.contract.CloudActivities;
import io.ferry.contract.DataActivities;
import io.ferry.contract.HostActivities;
import io.ferry.contract.ProbeActivities;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan;
import io.ferry.testing.Harness;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * A simulated fleet seeded from the example plan, with its activities registered in a {@link
 * TestActivityEnvironment} (so heartbeats work) and stubs that do not retry.
 */
public final class SimFixture implements AutoCloseable {

  public final WeaviateFirstPlan plan = examplePlan();
  public final SimulatedFleet fleet;
  public final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  public final CloudActivities cloud;
  public final HostActivities host;
  public final DataActivities data;
  public final ProbeActivities probe;

  /** Activity options for calling an activity directly: one attempt, failures surface at once. */
  public static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  public SimFixture() {
    this(new SimulatedFleet());
  }

  public SimFixture(SimulatedFleet fleet) {
    this.fleet = fleet;
    fleet.seed(plan);
    env.registerActivitiesImplementations(fleet.activityImplementations().toArray());
    ActivityOptions options = ONE_ATTEMPT;
    cloud = env.newActivityStub(CloudActivities.class, options);
    host = env.newActivityStub(HostActivities.class, options);
    data = env.newActivityStub(DataActivities.class, options);
    probe = env.newActivityStub(ProbeActivities.class, options);
  }

  public static WeaviateFirstPlan examplePlan() {
    return (WeaviateFirstPlan) Harness.examplePlan(Harness.roadmap("weaviate-first"));
  }

  /** The application failure an activity call ended with. */
  public static ApplicationFailure failureOf(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    if (thrown instanceof ActivityFailure af && af.getCause() instanceof ApplicationFailure f) {
      return f;
    }
    if (thrown instanceof ApplicationFailure f) {
      return f;
    }
    throw new AssertionError("expected an ApplicationFailure, got " + thrown, thrown);
  }

  @Override
  public void close() {
    env.close();
  }
}
