package io.ferry.activities.http;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HttpPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link HttpPort} on {@code java.net.http}: a GET whose body is read and discarded, timed from
 * sending the request to the last byte. A connection that fails or times out is an exception, so
 * the probe activity decides whether to retry.
 */
public final class JdkHttp implements HttpPort {

  private final HttpClient client;
  private final Duration timeout;

  /** Connects within 5 s and waits at most 30 s for an answer. */
  public JdkHttp() {
    this(Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public JdkHttp(Duration connectTimeout, Duration requestTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timeout = requestTimeout;
  }

  @Override
  public HttpAnswer get(String url) {
    URI uri;
    try {
      uri = URI.create(Failures.require("url", url));
    } catch (IllegalArgumentException e) {
      throw Failures.invalidInput("probe URL " + url + " is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw Failures.invalidInput("probe URL " + url + " must start with http:// or https://");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    long start = System.nanoTime();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      return new HttpAnswer(response.statusCode(), Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("GET " + url + " interrupted", e);
    }
  }
}
