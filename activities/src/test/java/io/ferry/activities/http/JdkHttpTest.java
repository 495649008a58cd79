package io.ferry.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JdkHttp} against a local HTTP server. */
class JdkHttpTest {

  private HttpServer server;
  private final JdkHttp http = new JdkHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          byte[] body = "{\"status\":\"ok\"}".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(120);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void get_answersTheStatus() {
    HttpAnswer answer = http.get(url("/health"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.elapsed()).isPositive();
  }

  @Test
  void get_timesTheWholeAnswer_andReportsErrorStatuses() {
    HttpAnswer answer = http.get(url("/slow"));

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(120));
  }

  @Test
  void get_whenNothingListens_failsRetryably() {
    Throwable thrown = catchThrowable(() -> http.get("http://127.0.0.1:1/health"));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:1");
  }

  @Test
  void get_ofANonHttpUrl_isInvalidInput() {
    Throwable thrown = catchThrowable(() -> http.get("ftp://example.org/x"));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) thrown).getType()).isEqualTo(FailureTypes.INVALID_INPUT);
  }
}
