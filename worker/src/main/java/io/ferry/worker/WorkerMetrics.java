package io.ferry.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.HTTPServer;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The worker's metrics (Temporal's own: task latencies, activity failures, poll counts) in
 * Prometheus form at {@code http://host:port/metrics}.
 */
public final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope scope;
  private final HTTPServer server;

  private WorkerMetrics(int port, java.time.Duration reportEvery) {
    scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofMillis(reportEvery.toMillis()));
    try {
      server =
          new HTTPServer.Builder()
              .withInetSocketAddress(new InetSocketAddress(port))
              .withRegistry(registry.getPrometheusRegistry())
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
  }

  /** Serves metrics on the port (0 picks a free one), refreshed every 10 s. */
  public static WorkerMetrics serve(int port) {
    return serve(port, java.time.Duration.ofSeconds(10));
  }

  public static WorkerMetrics serve(int port, java.time.Duration reportEvery) {
    return new WorkerMetrics(port, reportEvery);
  }

  /** The scope to give Temporal's service stubs. */
  public Scope scope() {
    return scope;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    try {
      scope.close(); // reports what is left
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      // nothing more to report to: the registry closes next
    }
    server.close();
    registry.close();
  }
}
