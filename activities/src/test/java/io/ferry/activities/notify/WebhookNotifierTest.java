package io.ferry.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.SecretResolver;
import io.ferry.contract.NotifyActivities;
import io.ferry.contract.NotifyActivities.Notice;
import io.ferry.plan.NotifyEndpoint;
import io.ferry.plan.NotifyEvent;
import io.ferry.plan.SecretRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier against a local HTTP server: both payloads, the Web UI link, which failures are
 * retried and which given up, that a retry skips endpoints already reached, and that no failure
 * message carries a URL.
 */
class WebhookNotifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  /** One request the server saw: its path and body. */
  record Hit(String path, String body) {}

  private HttpServer server;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();

  /** Statuses to answer per path, in order; 200 once they run out. */
  private final Map<String, Deque<Integer>> answers = new LinkedHashMap<>();

  private TestActivityEnvironment env;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = exchange.getRequestURI().getPath();
          hits.add(new Hit(path, body));
          Deque<Integer> queue = answers.get(path);
          int status = queue == null || queue.isEmpty() ? 200 : queue.poll();
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    env = TestActivityEnvironment.newInstance();
  }

  @AfterEach
  void stop() {
    env.close();
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private NotifyActivities notifier(NotifySettings settings, Map<String, String> environment) {
    env.registerActivitiesImplementations(
        new WebhookNotifier(settings, SecretResolver.withEnvironment(environment::get)));
    return env.newActivityStub(NotifyActivities.class, ONE_ATTEMPT);
  }

  private static Notice gateOpened(List<NotifyEndpoint> endpoints, boolean workerDefaults) {
    return new Notice(
        "weaviate-first-prod",
        "weaviate-first",
        "prod",
        NotifyEvent.GATE_OPENED,
        "approve-purge",
        Instant.parse("2026-11-30T12:00:00Z"),
        "gate approve-purge waits for approval: Approve purging",
        Map.of("approvals", "0 of 2 approvals"),
        List.of("ferry approve weaviate-first-prod approve-purge -m \"why\""),
        endpoints,
        workerDefaults);
  }

  private static NotifyEndpoint endpoint(String variable, NotifyEndpoint.Format format) {
    return new NotifyEndpoint(SecretRef.of("env:" + variable), format, List.of());
  }

  @Test
  void jsonPayload_carriesTheEventItsCommandsAndTheWebUiLink() throws IOException {
    NotifyActivities notify =
        notifier(
            new NotifySettings(List.of(), null, "http://ui.example:8080/", true),
            Map.of("HOOK", url("/json-token-123")));

    NotifyActivities.Delivery delivery =
        notify.deliver(gateOpened(List.of(endpoint("HOOK", NotifyEndpoint.Format.JSON)), true));

    assertThat(delivery.delivered()).containsExactly("plan endpoint 1");
    JsonNode body = JSON.readTree(hits.get(0).body());
    assertThat(body.get("event").asText()).isEqualTo("gate-opened");
    assertThat(body.get("workflowId").asText()).isEqualTo("weaviate-first-prod");
    assertThat(body.get("target").asText()).isEqualTo("approve-purge");
    assertThat(body.get("commands").get(0).asText())
        .isEqualTo("ferry approve weaviate-first-prod approve-purge -m \"why\"");
    assertThat(body.get("facts").get("approvals").asText()).isEqualTo("0 of 2 approvals");
    assertThat(body.get("link").asText())
        .isEqualTo("http://ui.example:8080/namespaces/default/workflows/weaviate-first-prod");
  }

  @Test
  void slackPayload_isOneTextFieldWithTheCommandAndLink() throws IOException {
    NotifyActivities notify =
        notifier(
            new NotifySettings(
                List.of(url("/slack")), NotifyEndpoint.Format.SLACK, "http://ui", true),
            Map.of());

    notify.deliver(gateOpened(List.of(), true));

    JsonNode body = JSON.readTree(hits.get(0).body());
    assertThat(body.fieldNames()).toIterable().containsExactly("text");
    assertThat(body.get("text").asText())
        .contains("gate-opened")
        .contains("gate approve-purge waits for approval")
        .contains("`ferry approve weaviate-first-prod approve-purge -m \"why\"`")
        .contains("<http://ui/namespaces/default/workflows/weaviate-first-prod|");
  }

  @Test
  void serverError_failsTheAttemptForARetry_withoutTheUrl_andTheRetrySkipsEndpointsReached() {
    answers.put("/broken-token-456", new ArrayDeque<>(List.of(500)));
    NotifyActivities notify =
        notifier(
            new NotifySettings(List.of(url("/fine")), null, null, true),
            Map.of("HOOK", url("/broken-token-456")));
    Notice notice = gateOpened(List.of(endpoint("HOOK", NotifyEndpoint.Format.JSON)), true);

    assertThatThrownBy(() -> notify.deliver(notice))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isFalse();
              assertThat(failure.getType()).isEqualTo(WebhookNotifier.UNDELIVERED);
              assertThat(failure.getOriginalMessage())
                  .contains("plan endpoint 1: answered HTTP 500")
                  .contains("delivered to worker default 1")
                  .doesNotContain("token")
                  .doesNotContain("127.0.0.1");
            });

    // the next attempt starts from the heartbeat: only the endpoint that failed is posted to
    env.setHeartbeatDetails(List.of("worker default 1"));
    hits.clear();
    NotifyActivities.Delivery retried = notify.deliver(notice);

    assertThat(retried.delivered()).containsExactly("worker default 1", "plan endpoint 1");
    assertThat(hits).extracting(Hit::path).containsExactly("/broken-token-456");
  }

  @Test
  void clientError_isGivenUpAtOnce() {
    answers.put("/gone", new ArrayDeque<>(List.of(404)));
    NotifyActivities notify = notifier(NotifySettings.none(), Map.of("HOOK", url("/gone")));

    assertThatThrownBy(
            () ->
                notify.deliver(
                    gateOpened(List.of(endpoint("HOOK", NotifyEndpoint.Format.JSON)), false)))
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .isEqualTo("plan endpoint 1: answered HTTP 404");
            });
  }

  @Test
  void endpointsThatDoNotWantTheEvent_andWorkerDefaultsTurnedOff_areNotPosted() {
    NotifyActivities notify =
        notifier(
            new NotifySettings(List.of(url("/default")), null, null, true),
            Map.of("HOOK", url("/wants-completed-only")));
    NotifyEndpoint completedOnly =
        new NotifyEndpoint(
            SecretRef.of("env:HOOK"), NotifyEndpoint.Format.JSON, List.of("completed"));

    NotifyActivities.Delivery delivery = notify.deliver(gateOpened(List.of(completedOnly), false));

    assertThat(delivery.delivered()).isEmpty();
    assertThat(hits).isEmpty();
  }

  @Test
  void rehearsal_namesThePlansEndpointsButPostsOnlyToItsOwn() {
    NotifyActivities notify =
        notifier(new NotifySettings(List.of(url("/rehearsal")), null, null, false), Map.of());

    NotifyActivities.Delivery delivery =
        notify.deliver(
            gateOpened(List.of(endpoint("TEAM_SLACK", NotifyEndpoint.Format.SLACK)), true));

    assertThat(delivery.delivered()).containsExactly("worker default 1");
    assertThat(delivery.notContacted())
        .containsExactly("plan endpoint 1 (not contacted in a rehearsal)");
    assertThat(hits).extracting(Hit::path).containsExactly("/rehearsal");
  }
}
