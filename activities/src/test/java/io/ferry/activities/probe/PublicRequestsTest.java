package io.ferry.activities.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.Polling;
import io.ferry.activities.http.JdkHttp;
import io.ferry.activities.probe.PublicRequests.Tally;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The zero-downtime count against a real HTTP server that starts failing after two answers. */
class PublicRequestsTest {

  private HttpServer server;
  private final AtomicInteger answered = new AtomicInteger();
  private String url;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(answered.incrementAndGet() <= 2 ? 200 : 503, -1);
          exchange.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aRealFleet_keepsProbingUntilTheSpanEnds_soAFailureAfterTheFirstPassesIsCounted() {
    Tally tally =
        new PublicRequests(new JdkHttp(), Polling.REAL)
            .during(List.of(url), 1, Duration.ofSeconds(2));

    assertThat(tally.requests()).isGreaterThanOrEqualTo(3).isEqualTo(answered.get());
    assertThat(tally.failed()).isEqualTo(tally.requests() - 2);
    assertThat(tally.firstFailure()).isEqualTo(url + " answered 503");
  }

  @Test
  void theSimulatedFleet_probesOnlyTheGivenPasses_andTakesNoRealTime() {
    Tally tally =
        new PublicRequests(new JdkHttp(), Polling.SIMULATED)
            .during(List.of(url), 2, Duration.ofMinutes(5));

    assertThat(tally).isEqualTo(new Tally(2, 0, null));
  }

  @Test
  void aChangeIsWatchedFromBeforeItStartsUntilItHasSettled() {
    AtomicInteger seenWhenChanging = new AtomicInteger();
    Tally tally =
        new PublicRequests(new JdkHttp(), Polling.REAL)
            .around(
                List.of(url), () -> seenWhenChanging.set(answered.get()), Duration.ofSeconds(1));

    assertThat(seenWhenChanging.get()).as("a pass before the change").isGreaterThanOrEqualTo(1);
    assertThat(tally.requests()).isEqualTo(answered.get()).isGreaterThan(seenWhenChanging.get());
    assertThat(tally.failed()).isEqualTo(tally.requests() - 2);
  }
}
