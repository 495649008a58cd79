package io.ferry.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * One webhook.
 *
 * @param url where to post, as a secret reference resolved on the worker (env:NAME or file:/path)
 * @param format json (Ferry's own payload) or slack (a {@code text} field: Slack, Mattermost and
 *     Discord's Slack-compatible endpoint accept it)
 * @param events the events it wants, in wire form (gate-opened, ...); empty or absent means all
 */
public record NotifyEndpoint(SecretRef url, Format format, List<String> events) implements Checked {

  /** The payload's shape. */
  public enum Format {
    JSON,
    SLACK;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public NotifyEndpoint {
    format = format == null ? Format.JSON : format;
    events = events == null ? List.of() : List.copyOf(events);
  }

  public boolean wants(NotifyEvent event) {
    return events.isEmpty() || events.contains(event.wireName());
  }

  @Override
  public void check(PlanChecks checks) {
    checks.secret("url", url, true);
    for (int i = 0; i < events.size(); i++) {
      checks.oneOf("events[" + i + "]", events.get(i), NotifyEvent.wireNames());
    }
  }
}
