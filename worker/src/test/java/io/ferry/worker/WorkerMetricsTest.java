package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

  @Test
  void temporalClientRequests_areCountedAndServedInPrometheusForm() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
        WorkerMetrics metrics = WorkerMetrics.serve(0, Duration.ofMillis(100))) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget("localhost:" + port)
                  .setMetricsScope(metrics.scope())
                  .build());
      stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());

      HttpClient http = HttpClient.newHttpClient();
      HttpRequest scrape =
          HttpRequest.newBuilder(URI.create("http://localhost:" + metrics.port() + "/metrics"))
              .build();
      String body = "";
      Instant deadline = Instant.now().plusSeconds(10);
      while (!body.contains("temporal_request") && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
        body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
      }
      stubs.shutdownNow();
      assertThat(body).contains("temporal_request_total").contains("GetSystemInfo");
    }
  }
}
