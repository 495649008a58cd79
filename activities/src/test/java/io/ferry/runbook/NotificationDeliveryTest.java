package io.ferry.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.notify.NotifySettings;
import io.ferry.activities.notify.WebhookNotifier;
import io.ferry.plan.FailurePolicy;
import io.ferry.plan.Notifications;
import io.ferry.plan.NotifyEndpoint;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.DrillRoadmap.DrillPlan;
import io.ferry.testing.CallLog;
import io.ferry.testing.FakeActivities;
import io.ferry.testing.Harness;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drill migration with the real notifier posting to an HTTP server in the test: a 500 is
 * retried until delivered, an endpoint that does not answer holds up nothing, and the endpoint's
 * URL (a secret: it carries a token) appears nowhere in history, status or operator log. In this
 * package to reach the drill roadmap of the workflows module's tests.
 */
class NotificationDeliveryTest {

  private static final String TOKEN_PATH = "/hooks/T000-secret-token";

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger answered500 = new AtomicInteger();
  private volatile CountDownLatch hold = new CountDownLatch(0);

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try {
            hold.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (failuresLeft.getAndDecrement() > 0) {
            answered500.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
          } else {
            bodies.add(body);
            exchange.sendResponseHeaders(200, -1);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + TOKEN_PATH;
  }

  private Harness drill() {
    WebhookNotifier notifier =
        new WebhookNotifier(
            NotifySettings.none(), SecretResolver.withEnvironment(Map.of("TEAM_HOOK", url())::get));
    return new Harness(
        new CallLog(),
        List.of(new FakeActivities(), notifier),
        List.of(),
        DrillRoadmap.DrillWorkflowImpl.class);
  }

  /**
   * Only events after the drill's week-long soak: the harness skips the soak's week at once, which
   * would time out a delivery still in flight (as a week would).
   */
  private static DrillPlan plan() {
    return DrillRoadmap.plan(FailurePolicy.ROLLBACK)
        .withNotifications(
            new Notifications(
                List.of(
                    new NotifyEndpoint(
                        SecretRef.of("env:TEAM_HOOK"),
                        NotifyEndpoint.Format.SLACK,
                        List.of("point-of-no-return-passed", "completed"))),
                false,
                List.of()));
  }

  /** The history with every payload decoded from base64, as a search for leaks needs it. */
  private static String readable(String historyJson) {
    StringBuilder text = new StringBuilder(historyJson);
    java.util.regex.Matcher data =
        java.util.regex.Pattern.compile("\"data\": \"([A-Za-z0-9+/=]+)\"").matcher(historyJson);
    while (data.find()) {
      text.append('\n')
          .append(
              new String(
                  java.util.Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8));
    }
    return text.toString();
  }

  private static long sentEntries(RunbookStatus s) {
    return s.operatorLog().stream()
        .filter(e -> e.action().equals("notify") && e.outcome().startsWith("sent to plan endpoint"))
        .count();
  }

  @Test
  void serverErrors_areRetriedWithBackOff_untilEveryEventIsDelivered() {
    failuresLeft.set(2);
    try (Harness h = drill()) {
      WorkflowStub stub = DrillRoadmap.start(h, plan());
      RunbookResult result = h.driveToEnd(stub);

      assertThat(result.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(answered500.get()).isEqualTo(2);
      // the point of no return and completion, each delivered once
      assertThat(bodies).hasSize(2);
      assertThat(sentEntries(result.status())).isEqualTo(2);
      assertThat(bodies).allSatisfy(b -> assertThat(b).startsWith("{\"text\":"));
    }
  }

  @Test
  void endpointThatDoesNotAnswer_holdsUpNothing_andItsUrlIsNeverRecorded() {
    hold = new CountDownLatch(1);
    try (Harness h = drill()) {
      WorkflowStub stub = DrillRoadmap.start(h, plan());

      // every post is still waiting for the server when the migration has done all its work
      RunbookStatus done = h.drive(stub, s -> false);
      assertThat(done.state()).isEqualTo(RunbookState.COMPLETED);
      assertThat(bodies).isEmpty();

      hold.countDown();
      RunbookStatus after = h.awaitStatus(stub, s -> sentEntries(s) == 2);
      // a post the client timed out on may still reach the server: count distinct payloads
      assertThat(new java.util.HashSet<>(bodies)).hasSize(2);
      assertThat(stub.getResult(RunbookResult.class).state()).isEqualTo(RunbookState.COMPLETED);

      String port = Integer.toString(server.getAddress().getPort());
      String history = readable(h.historyJson(stub));
      assertThat(history).contains("env:TEAM_HOOK").doesNotContain("secret-token");
      assertThat(history).doesNotContain("127.0.0.1:" + port);
      assertThat(after.toString()).doesNotContain("secret-token").doesNotContain(port + "/hooks");
    }
  }
}
