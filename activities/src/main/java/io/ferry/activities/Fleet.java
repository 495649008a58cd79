package io.ferry.activities;

import io.temporal.common.interceptors.WorkerInterceptor;
import java.util.List;

/**
 * What a worker runs activities on: the activity implementations wired to one set of adapters
 * (simulated or real), and the interceptors they need. Every fleet's interceptors include {@link
 * StepScopeInterceptor}, so effects are attributed to the step that caused them.
 */
public interface Fleet {

  /** {@code simulated} or {@code real}; shown in logs. */
  String name();

  List<Object> activityImplementations();

  List<WorkerInterceptor> interceptors();
}
