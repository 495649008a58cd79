package io.ferry.activities.http;

import io.ferry.activities.Failures;
import io.ferry.activities.port.NodeMetricsPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link NodeMetricsPort} over node exporter's text format: CPU from the idle counters of two
 * reads, memory from MemAvailable/MemTotal, disk from the root filesystem's avail/size.
 */
public final class HttpNodeMetrics implements NodeMetricsPort {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public NodeMetrics sample(String metricsUrl, long spacingMillis) {
    String first = fetch(metricsUrl);
    try {
      Thread.sleep(spacingMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted between metric reads", e);
    }
    String second = fetch(metricsUrl);
    return NodeExporterText.metrics(first, second);
  }

  private String fetch(String url) {
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw Failures.precondition(url + " answered " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException("reading " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + url, e);
    }
  }
}
