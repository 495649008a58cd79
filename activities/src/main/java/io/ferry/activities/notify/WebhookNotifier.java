package io.ferry.activities.notify;

import io.ferry.activities.SecretResolver;
import io.ferry.contract.NotifyActivities;
import io.ferry.plan.NotifyEndpoint;
import io.ferry.plan.SecretRef;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Posts notices to webhooks. Each endpoint is named by its position ("plan endpoint 2", "worker
 * default 1") in results, failures and the heartbeat, never by its URL: webhook URLs carry tokens.
 * An endpoint that answers a client error (other than 408 or 429) is given up at once; one that
 * answers 5xx or cannot be reached fails the attempt, and Temporal retries it with back-off while
 * the endpoints already reached (kept in the heartbeat) are not posted to again.
 */
public final class WebhookNotifier implements NotifyActivities {

  /** The failure type of a delivery that may succeed later (5xx, unreachable). */
  public static final String UNDELIVERED = "NotificationUndelivered";

  /** The failure type of a delivery that never will (4xx, an unresolvable reference). */
  public static final String REJECTED = "NotificationRejected";

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final NotifySettings settings;
  private final SecretResolver secrets;
  private final HttpClient http;

  public WebhookNotifier(NotifySettings settings, SecretResolver secrets) {
    this.settings = settings;
    this.secrets = secrets;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(REQUEST_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public Delivery deliver(Notice notice) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Set<String> delivered = new LinkedHashSet<>(reachedBefore(context));
    List<String> retryable = new ArrayList<>();
    List<String> permanent = new ArrayList<>();
    List<String> notContacted = new ArrayList<>();
    String link = link(notice, context.getInfo().getNamespace());
    for (Recipient recipient : recipients(notice)) {
      if (delivered.contains(recipient.name())) {
        continue;
      }
      if (recipient.skipped() != null) {
        notContacted.add(recipient.name() + " (" + recipient.skipped() + ")");
        continue;
      }
      String url;
      try {
        url = recipient.url();
      } catch (ApplicationFailure unresolved) {
        permanent.add(recipient.name() + ": " + unresolved.getOriginalMessage());
        continue;
      }
      Outcome outcome = post(url, Payloads.body(notice, recipient.format(), link));
      switch (outcome.kind()) {
        case DELIVERED -> {
          delivered.add(recipient.name());
          context.heartbeat(new ArrayList<>(delivered));
        }
        case RETRY -> retryable.add(recipient.name() + ": " + outcome.detail());
        case GIVE_UP -> permanent.add(recipient.name() + ": " + outcome.detail());
      }
    }
    String reached = delivered.isEmpty() ? "" : "; delivered to " + String.join(", ", delivered);
    if (!retryable.isEmpty()) {
      throw ApplicationFailure.newFailure(
          String.join("; ", retryable)
              + (permanent.isEmpty() ? "" : "; " + String.join("; ", permanent))
              + reached,
          UNDELIVERED);
    }
    if (!permanent.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          String.join("; ", permanent) + reached, REJECTED);
    }
    return new Delivery(List.copyOf(delivered), notContacted);
  }

  /** One endpoint this notice goes to; {@code skipped} says why it is named but not contacted. */
  private record Recipient(
      String name,
      NotifyEndpoint.Format format,
      java.util.function.Supplier<String> resolve,
      String skipped) {
    String url() {
      return resolve.get();
    }
  }

  private List<Recipient> recipients(Notice notice) {
    List<Recipient> recipients = new ArrayList<>();
    List<NotifyEndpoint> endpoints = notice.endpoints() == null ? List.of() : notice.endpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      NotifyEndpoint endpoint = endpoints.get(i);
      if (endpoint.wants(notice.event())) {
        recipients.add(
            new Recipient(
                "plan endpoint " + (i + 1),
                endpoint.format(),
                () -> secrets.resolve(endpoint.url()),
                settings.planEndpoints() ? null : "not contacted in a rehearsal"));
      }
    }
    if (notice.workerDefaults()) {
      for (int i = 0; i < settings.defaults().size(); i++) {
        String value = settings.defaults().get(i);
        recipients.add(
            new Recipient(
                "worker default " + (i + 1),
                settings.defaultFormat(),
                () ->
                    value.startsWith("env:") || value.startsWith("file:")
                        ? secrets.resolve(new SecretRef(value))
                        : value,
                null));
      }
    }
    return recipients;
  }

  /** What one POST came to; the detail never holds the URL. */
  private record Outcome(Kind kind, String detail) {
    enum Kind {
      DELIVERED,
      RETRY,
      GIVE_UP
    }

    static final Outcome DELIVERED = new Outcome(Kind.DELIVERED, null);

    static Outcome retry(String detail) {
      return new Outcome(Kind.RETRY, detail);
    }

    static Outcome giveUp(String detail) {
      return new Outcome(Kind.GIVE_UP, detail);
    }
  }

  private Outcome post(String url, String body) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(REQUEST_TIMEOUT)
              .header("Content-Type", "application/json")
              .header("User-Agent", "ferry-notifier")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
    } catch (IllegalArgumentException e) {
      return Outcome.giveUp("the URL is not a valid http(s) URL");
    }
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        return Outcome.DELIVERED;
      }
      boolean later = status >= 500 || status == 408 || status == 429;
      return later
          ? Outcome.retry("answered HTTP " + status)
          : Outcome.giveUp("answered HTTP " + status);
    } catch (IOException e) {
      // the exception's message may name the host; its kind is enough
      return Outcome.retry("unreachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.retry("interrupted");
    }
  }

  private String link(Notice notice, String namespace) {
    if (settings.webUi() == null) {
      return null;
    }
    return settings.webUi()
        + "/namespaces/"
        + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
        + "/workflows/"
        + URLEncoder.encode(notice.workflowId(), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static List<String> reachedBefore(ActivityExecutionContext context) {
    Optional<List> details = context.getHeartbeatDetails(List.class);
    return details.isPresent() ? (List<String>) details.get() : List.of();
  }
}
