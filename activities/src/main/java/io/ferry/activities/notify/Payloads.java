package io.ferry.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.contract.NotifyActivities.Notice;
import io.ferry.plan.NotifyEndpoint;
import java.util.Map;

/** A notice as the two payloads webhooks take: Ferry's JSON, and Slack's {@code text} form. */
final class Payloads {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Payloads() {}

  static String body(Notice notice, NotifyEndpoint.Format format, String link) {
    return format == NotifyEndpoint.Format.SLACK ? slack(notice, link) : json(notice, link);
  }

  static String json(Notice notice, String link) {
    ObjectNode root = JSON.createObjectNode();
    root.put("event", notice.event().wireName());
    root.put("workflowId", notice.workflowId());
    root.put("roadmap", notice.roadmap());
    root.put("plan", notice.plan());
    root.put("target", notice.target());
    root.put("at", notice.at() == null ? null : notice.at().toString());
    root.put("headline", notice.headline());
    ObjectNode facts = root.putObject("facts");
    (notice.facts() == null ? Map.<String, String>of() : notice.facts()).forEach(facts::put);
    var commands = root.putArray("commands");
    if (notice.commands() != null) {
      notice.commands().forEach(commands::add);
    }
    root.put("link", link);
    return root.toString();
  }

  /** Slack, Mattermost and Discord's Slack-compatible endpoint read {@code text} (mrkdwn). */
  static String slack(Notice notice, String link) {
    StringBuilder text = new StringBuilder();
    text.append("*Ferry* `")
        .append(notice.workflowId())
        .append("` · ")
        .append(notice.event().wireName())
        .append('\n')
        .append(notice.headline());
    if (notice.facts() != null) {
      notice.facts().forEach((k, v) -> text.append("\n• ").append(k).append(": ").append(v));
    }
    if (notice.commands() != null) {
      notice.commands().forEach(c -> text.append("\n`").append(c).append('`'));
    }
    if (link != null) {
      text.append("\n<").append(link).append("|Open in the Temporal Web UI>");
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("text", text.toString());
    return root.toString();
  }
}
