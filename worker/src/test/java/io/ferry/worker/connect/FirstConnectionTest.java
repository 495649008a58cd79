package io.ferry.worker.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testserver.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker's first connection: a frontend that starts late is waited for, within patience. */
class FirstConnectionTest {

  private final StringWriter err = new StringWriter();

  @Test
  void aFrontendStartingLate_isReachedOnALaterTry() throws Exception {
    int port = freePort();
    TemporalEndpoint endpoint = TemporalEndpoint.plain("127.0.0.1:" + port, "default");
    // the server comes up a few seconds after the worker started trying
    CompletableFuture<TestServer.PortBoundTestServer> server =
        CompletableFuture.supplyAsync(
            () -> TestServer.createPortBoundServer(port, true),
            CompletableFuture.delayedExecutor(4, TimeUnit.SECONDS));
    try {
      WorkflowServiceStubs stubs =
          FirstConnection.open(
              endpoint,
              endpoint.stubsOptions().build(),
              Duration.ofMinutes(2),
              new PrintWriter(err, true));
      stubs.shutdownNow();

      assertThat(err.toString())
          .contains(
              "Temporal at 127.0.0.1:" + port + " (namespace default) not reachable yet (try 1")
          .contains("reached Temporal at 127.0.0.1:" + port);
    } finally {
      server.get(2, TimeUnit.MINUTES).close();
    }
  }

  @Test
  void noPatience_triesOnce_andThrowsTheFailure() throws Exception {
    TemporalEndpoint endpoint = TemporalEndpoint.plain("127.0.0.1:" + freePort(), "default");

    assertThatThrownBy(
            () ->
                FirstConnection.open(
                    endpoint,
                    endpoint.stubsOptions().build(),
                    Duration.ZERO,
                    new PrintWriter(err, true)))
        .isInstanceOf(RuntimeException.class);
    assertThat(err.toString()).doesNotContain("trying again");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
