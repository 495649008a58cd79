package io.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.plan.Plan;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * A rehearsal with {@code --notify}: the plan needs a notifications section for the workflow to
 * send anything, so one without it gets one for this rehearsal only: the worker's defaults (the
 * rehearsal's endpoints) and soak-ending notices 24 h and 1 h before the end.
 */
final class RehearsalNotices {

  /** A rehearsal shows the soak's end coming, as a plan that asks for it would. */
  static final List<Duration> REHEARSAL_SOAK_NOTICES =
      List.of(Duration.ofHours(24), Duration.ofHours(1));

  private RehearsalNotices() {}

  static PlanFiles.Loaded withNotifications(PlanFiles.Loaded loaded, PrintWriter err) {
    if (loaded.plan().notifications() != null) {
      return loaded;
    }
    // the same mapper Temporal uses for the workflow's input, so the plan round-trips as it travels
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    ObjectNode tree = mapper.valueToTree(loaded.plan());
    tree.putObject("notifications").set("soakEndingIn", mapper.valueToTree(REHEARSAL_SOAK_NOTICES));
    Plan plan;
    try {
      plan = mapper.treeToValue(tree, loaded.roadmap().planType());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot add a notifications section to the plan", e);
    }
    if (plan.notifications() == null) {
      err.println(
          "note: "
              + loaded.roadmap().id()
              + "'s plan has no notifications section yet; --notify sends nothing");
      err.flush();
      return loaded;
    }
    return new PlanFiles.Loaded(loaded.roadmap(), plan, loaded.source());
  }
}
