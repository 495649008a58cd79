package io.ferry.worker;

import io.ferry.activities.Fleet;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.notify.NotifySettings;
import io.ferry.activities.notify.WebhookNotifier;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.ActivityProfile;
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

  /**
   * The options with heartbeats sent at most {@link ActivityProfile#CANCELLATION_REACHES_WITHIN}
   * apart, so a rollback reaches a running step in seconds rather than at the next heartbeat
   * Temporal's throttle lets through.
   */
  public static WorkerOptions promptCancellation(WorkerOptions options) {
    return WorkerOptions.newBuilder(options)
        .setMaxHeartbeatThrottleInterval(ActivityProfile.CANCELLATION_REACHES_WITHIN)
        .setDefaultHeartbeatThrottleInterval(ActivityProfile.CANCELLATION_REACHES_WITHIN)
        .build();
  }

  /** Registers {@link Roadmaps#workflowImplementations()} and the fleet's activities. */
  public static Worker register(WorkerFactory factory, String taskQueue, Fleet fleet) {
    return register(factory, taskQueue, WorkerOptions.getDefaultInstance(), fleet);
  }

  /** As {@link #register(WorkerFactory, String, Fleet)}, with the worker's own options. */
  public static Worker register(
      WorkerFactory factory, String taskQueue, WorkerOptions options, Fleet fleet) {
    return register(factory, taskQueue, options, fleet, NotifySettings.none());
  }

  /**
   * As {@link #register(WorkerFactory, String, WorkerOptions, Fleet)}, with the notifier's
   * settings: default endpoints and the Web UI's address for links.
   */
  public static Worker register(
      WorkerFactory factory,
      String taskQueue,
      WorkerOptions options,
      Fleet fleet,
      NotifySettings notify) {
    Worker worker = factory.newWorker(taskQueue, promptCancellation(options));
    worker.registerWorkflowImplementationTypes(Roadmaps.workflowImplementations());
    worker.registerActivitiesImplementations(fleet.activityImplementations().toArray());
    worker.registerActivitiesImplementations(
        new WebhookNotifier(notify, SecretResolver.fromWorker()));
    return worker;
  }
}
