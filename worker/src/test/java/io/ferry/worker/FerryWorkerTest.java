package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.StepScopeInterceptor;
import io.ferry.activities.sim.SimulatedFleet;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;

class FerryWorkerTest {

  @Test
  void factoryOptions_carryTheFleetsInterceptors() {
    SimulatedFleet fleet = new SimulatedFleet();

    assertThat(FerryWorker.factoryOptions(fleet).getWorkerInterceptors())
        .hasAtLeastOneElementOfType(StepScopeInterceptor.class)
        .hasSize(fleet.interceptors().size());
  }

  @Test
  void register_putsEveryRoadmapAndTheFleetsActivitiesOnTheQueueAndStarts() {
    SimulatedFleet fleet = new SimulatedFleet();
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(FerryWorker.factoryOptions(fleet))
                .build())) {

      Worker worker = FerryWorker.register(env.getWorkerFactory(), FerryWorker.TASK_QUEUE, fleet);
      env.start();

      assertThat(worker.getTaskQueue()).isEqualTo("ferry");
      assertThat(env.getWorkerFactory().isStarted()).isTrue();
    }
  }
}
