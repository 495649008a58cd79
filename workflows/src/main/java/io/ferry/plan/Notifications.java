package io.ferry.plan;

import java.time.Duration;
import java.util.List;

/**
 * Who is told when a person is needed or something final happened. Present in a plan, even empty,
 * the migration sends its events to the worker, which posts them to these endpoints and (unless
 * {@code workerDefaults} is false) to the worker's own default endpoints.
 *
 * @param endpoints webhooks, each with its URL as a secret reference (webhook URLs carry tokens)
 * @param workerDefaults whether the worker's default endpoints ({@code --notify}) are told too
 * @param soakEndingIn how long before a soak's end to send soak-ending, such as [24h, 1h]
 */
public record Notifications(
    List<NotifyEndpoint> endpoints, Boolean workerDefaults, List<Duration> soakEndingIn)
    implements Checked {

  /** Enough reminders for any soak; more is a mistake. */
  public static final int MAX_SOAK_REMINDERS = 5;

  public static final int MAX_ENDPOINTS = 10;

  public Notifications {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    workerDefaults = workerDefaults == null || workerDefaults;
    soakEndingIn = soakEndingIn == null ? List.of() : List.copyOf(soakEndingIn);
  }

  @Override
  public void check(PlanChecks checks) {
    if (endpoints.size() > MAX_ENDPOINTS) {
      checks.problem(
          "endpoints", endpoints.size() + " endpoints; at most " + MAX_ENDPOINTS + " allowed");
    }
    checks.each("endpoints", endpoints);
    if (soakEndingIn.size() > MAX_SOAK_REMINDERS) {
      checks.problem(
          "soakEndingIn",
          soakEndingIn.size() + " reminders; at most " + MAX_SOAK_REMINDERS + " allowed");
    }
    for (int i = 0; i < soakEndingIn.size(); i++) {
      checks.required("soakEndingIn[" + i + "]", soakEndingIn.get(i));
      checks.positive("soakEndingIn[" + i + "]", soakEndingIn.get(i));
    }
  }
}
