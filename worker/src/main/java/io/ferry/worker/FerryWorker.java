package io.ferry.worker;

import io.ferry.activities.Fleet;
import io.ferry.roadmap.Roadmaps;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/**
 * Wiring shared by the worker process and the CLI's embedded modes: factory options that carry the
 * fleet's interceptors, and one worker with every roadmap's workflow and the fleet's activities.
 */
public final class FerryWorker {

  public static final String TASK_QUEUE = "ferry";

  private FerryWorker() {}

  /** Factory options with the fleet's interceptors (step attribution, and faults in the sim). */
  public static WorkerFactoryOptions factoryOptions(Fleet fleet) {
    return WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(fleet.interceptors().toArray(WorkerInterceptor[]::new))
        .build();
  }

  /** Registers {@link Roadmaps#workflowImplementations()} and the fleet's activities. */
  public static Worker register(WorkerFactory factory, String taskQueue, Fleet fleet) {
    return register(factory, taskQueue, WorkerOptions.getDefaultInstance(), fleet);
  }

  /** As {@link #register(WorkerFactory, String, Fleet)}, with the worker's own options. */
  public static Worker register(
      WorkerFactory factory, String taskQueue, WorkerOptions options, Fleet fleet) {
    Worker worker = factory.newWorker(taskQueue, options);
    worker.registerWorkflowImplementationTypes(Roadmaps.workflowImplementations());
    worker.registerActivitiesImplementations(fleet.activityImplementations().toArray());
    return worker;
  }
}
