package io.ferry.contract;

import io.ferry.plan.NotifyEndpoint;
import io.ferry.plan.NotifyEvent;
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Posts a migration's events to webhooks. Best effort: the workflow never waits for it. URLs are
 * resolved on the worker from the endpoints' secret references and never returned.
 */
@ActivityInterface(namePrefix = "Notify.")
public interface NotifyActivities {

  /**
   * Delivers {@code notice} to every endpoint that wants its event; a retry skips the endpoints an
   * earlier attempt reached (kept in the heartbeat). Fails when one could not be reached.
   */
  Delivery deliver(Notice notice);

  /**
   * One event of one migration.
   *
   * @param headline one sentence a person reads first, such as "gate approve-purge is waiting"
   * @param facts what the event is about, as label and value (failed step, error, undone steps)
   * @param commands the exact {@code ferry} commands that answer it, if any
   * @param endpoints the plan's endpoints (references only)
   * @param workerDefaults whether the worker's default endpoints are told as well
   */
  record Notice(
      String workflowId,
      String roadmap,
      String plan,
      NotifyEvent event,
      String target,
      Instant at,
      String headline,
      Map<String, String> facts,
      List<String> commands,
      List<NotifyEndpoint> endpoints,
      boolean workerDefaults) {}

  /**
   * @param delivered the endpoints reached, named by position ("plan endpoint 1", "worker default
   *     1"), never by URL
   * @param notContacted endpoints named but deliberately left alone, with why (a rehearsal does not
   *     post to the plan's own endpoints)
   */
  record Delivery(List<String> delivered, List<String> notContacted) {
    public Delivery {
      delivered = delivered == null ? List.of() : List.copyOf(delivered);
      notContacted = notContacted == null ? List.of() : List.copyOf(notContacted);
    }
  }
}
