package io.ferry.activities.digitalocean;

import com.myjeeva.digitalocean.exception.DigitalOceanException;
import com.myjeeva.digitalocean.exception.RequestUnsuccessfulException;
import com.myjeeva.digitalocean.impl.DigitalOceanClient;
import io.ferry.activities.SecretResolver;
import io.ferry.plan.SecretRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * digitalocean-api-client 2.17 with Ferry's error handling: its exceptions become {@link
 * DoFailures}, and a 429 is waited out until {@code RateLimit-Reset} (bounded). The library drops
 * response headers on errors, so an interceptor on its HTTP client keeps the rate-limit headers of
 * the last 429 for the calling thread.
 *
 * <p>The library always talks to {@code https://api.digitalocean.com}; tests pass an {@link
 * HttpClientBuilder} whose route planner sends that host to a local server. Keep the logger {@code
 * org.apache.http} at INFO or above: its DEBUG wire log would print the Authorization header.
 */
public final class DoLibrary {

  private static final Logger log = LoggerFactory.getLogger(DoLibrary.class);
  private static final int MAX_RATE_LIMIT_WAITS = 3;
  private static final ThreadLocal<String[]> lastRateLimit = new ThreadLocal<>();

  private final DigitalOceanClient client;
  private final Duration maxRateLimitWait;

  /** A call into the library. */
  @FunctionalInterface
  public interface Call<T> {
    T run(DigitalOceanClient client) throws DigitalOceanException, RequestUnsuccessfulException;
  }

  /**
   * @param token the API token (resolved on the worker; never logged)
   * @param http the HTTP client to build on; an interceptor is added to it
   */
  public DoLibrary(String token, HttpClientBuilder http, Duration maxRateLimitWait) {
    http.addInterceptorLast(
        (HttpResponse response, HttpContext context) -> {
          if (response.getStatusLine().getStatusCode() == 429) {
            lastRateLimit.set(
                new String[] {
                  value(response.getFirstHeader("RateLimit-Reset")),
                  value(response.getFirstHeader("Retry-After"))
                });
          }
        });
    this.client = new DigitalOceanClient("v2", token, http.build());
    this.maxRateLimitWait = maxRateLimitWait;
  }

  /** The production library client, with the token resolved now, on the worker. */
  public static DoLibrary connect(SecretRef token, SecretResolver secrets) {
    RequestConfig timeouts =
        RequestConfig.custom()
            .setConnectTimeout(10_000)
            .setConnectionRequestTimeout(10_000)
            .setSocketTimeout(60_000)
            .build();
    return new DoLibrary(
        secrets.resolve(token),
        HttpClients.custom().setDefaultRequestConfig(timeouts).useSystemProperties(),
        DigitalOceanApi.DEFAULT_MAX_RATE_LIMIT_WAIT);
  }

  /**
   * Runs {@code call}, mapping failures.
   *
   * @param request what is being done, for messages: {@code GET /v2/droplets/42}
   */
  public <T> T call(String request, Call<T> call) {
    for (int waits = 0; ; waits++) {
      lastRateLimit.remove();
      try {
        return call.run(client);
      } catch (DigitalOceanException e) {
        if (e.getHttpStatusCode() == 429 && waits < MAX_RATE_LIMIT_WAITS) {
          String[] headers = lastRateLimit.get();
          Optional<Duration> wait =
              headers == null
                  ? Optional.empty()
                  : RateLimits.waitFor(headers[0], headers[1], Instant.now());
          if (wait.isPresent() && wait.get().compareTo(maxRateLimitWait) <= 0) {
            log.info(
                "DigitalOcean rate limit: waiting {} ms before {}", wait.get().toMillis(), request);
            RateLimits.sleep(wait.get());
            continue;
          }
        }
        throw e.getHttpStatusCode() == 0
            ? DoFailures.unreachable(request, e)
            : DoFailures.forStatus(request, e.getHttpStatusCode(), e.getId(), e.getMessage());
      } catch (RequestUnsuccessfulException e) {
        throw DoFailures.unreachable(request, e);
      } finally {
        lastRateLimit.remove();
      }
    }
  }

  private static String value(Header header) {
    return header == null ? null : header.getValue();
  }
}
