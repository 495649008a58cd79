package io.ferry.activities.digitalocean;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.plan.SecretRef;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small typed client for DigitalOcean's API v2 on {@code java.net.http} and Jackson: bearer auth,
 * error mapping ({@link DoFailures}), waiting out a 429 until {@code RateLimit-Reset} (bounded),
 * pagination through {@code links.pages.next}, and waits on actions. The resource clients ({@link
 * AppPlatformClient}, {@link RegistryClient}, {@link DatabaseClient}, {@link NetworkClient}) sit on
 * it.
 */
public final class DigitalOceanApi {

  public static final URI DEFAULT_BASE_URL = URI.create("https://api.digitalocean.com");
  public static final Duration DEFAULT_MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(60);
  private static final int PAGE_SIZE = 200;
  private static final int MAX_RATE_LIMIT_WAITS = 3;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(DigitalOceanApi.class);

  private final URI baseUrl;
  private final Supplier<String> token;
  private final HttpClient http;
  private final Duration maxRateLimitWait;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private volatile String resolvedToken;

  /**
   * @param baseUrl {@link #DEFAULT_BASE_URL}, or a test server
   * @param token supplies the API token; called once, on first use
   * @param maxRateLimitWait the longest a 429 is waited out before failing (retryably)
   */
  public DigitalOceanApi(
      URI baseUrl, Supplier<String> token, HttpClient http, Duration maxRateLimitWait) {
    this.baseUrl = stripSlash(baseUrl);
    this.token = token;
    this.http = http;
    this.maxRateLimitWait = maxRateLimitWait;
  }

  /** The production client: the token is resolved on the worker, on first use. */
  public static DigitalOceanApi connect(URI baseUrl, SecretRef token, SecretResolver secrets) {
    return new DigitalOceanApi(
        baseUrl == null ? DEFAULT_BASE_URL : baseUrl,
        () -> secrets.resolve(token),
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        DEFAULT_MAX_RATE_LIMIT_WAIT);
  }

  public URI baseUrl() {
    return baseUrl;
  }

  public ObjectMapper json() {
    return json;
  }

  public JsonNode get(String path) {
    return get(path, Map.of());
  }

  public JsonNode get(String path, Map<String, String> query) {
    return send("GET", path + queryString(query), null);
  }

  public JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  public JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  public void delete(String path) {
    send("DELETE", path, null);
  }

  /** Like {@link #get(String)}, but a 404 is an empty result. */
  public Optional<JsonNode> find(String path) {
    try {
      return Optional.of(get(path));
    } catch (ApplicationFailure e) {
      if (DoFailures.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Every element of the array {@code field}, following {@code links.pages.next}. */
  public List<JsonNode> list(String path, Map<String, String> query, String field) {
    Map<String, String> first = new LinkedHashMap<>(query);
    first.putIfAbsent("per_page", Integer.toString(PAGE_SIZE));
    List<JsonNode> all = new ArrayList<>();
    String next = path + queryString(first);
    while (next != null) {
      JsonNode page = send("GET", next, null);
      page.path(field).forEach(all::add);
      String link = page.path("links").path("pages").path("next").asText(null);
      next = link == null || link.isBlank() ? null : relative(link);
    }
    return all;
  }

  /**
   * Waits until the action is {@code completed}, polling {@code /v2/actions/{id}}. An {@code
   * errored} action fails retryably (the step repeats it); a wait past the polling timeout fails
   * retryably too.
   */
  public JsonNode awaitAction(long actionId, Polling polling, Heartbeat heartbeat) {
    Instant deadline = Instant.now().plus(polling.timeout());
    while (true) {
      JsonNode action = get("/v2/actions/" + actionId).path("action");
      String status = action.path("status").asText();
      String type = action.path("type").asText();
      if ("completed".equals(status)) {
        return action;
      }
      if ("errored".equals(status)) {
        throw ApplicationFailure.newFailure(
            "DigitalOcean action " + actionId + " (" + type + ") errored",
            DoFailures.ACTION_ERRORED);
      }
      heartbeat.beat("action " + actionId + " " + type + " " + status);
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "DigitalOcean action "
                + actionId
                + " ("
                + type
                + ") is still "
                + status
                + " after "
                + polling.timeout().toSeconds()
                + " s");
      }
      polling.pause();
    }
  }

  public ObjectNode object() {
    return json.createObjectNode();
  }

  private JsonNode send(String method, String pathAndQuery, Object body) {
    String request = method + " " + withoutQuery(pathAndQuery);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token())
            .header("Accept", "application/json");
    if (body != null) {
      byte[] bytes;
      try {
        bytes = json.writeValueAsBytes(body);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot serialise the body of " + request, e);
      }
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpRequest httpRequest = builder.build();
    for (int waits = 0; ; waits++) {
      HttpResponse<byte[]> response;
      try {
        log.debug("DigitalOcean {}", request);
        response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw DoFailures.unreachable(request, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DoFailures.unreachable(request, e);
      }
      int status = response.statusCode();
      if (status == 429 && waits < MAX_RATE_LIMIT_WAITS) {
        Optional<Duration> wait = RateLimits.waitFor(response.headers(), Instant.now());
        if (wait.isPresent() && wait.get().compareTo(maxRateLimitWait) <= 0) {
          log.info(
              "DigitalOcean rate limit: waiting {} ms before {}", wait.get().toMillis(), request);
          RateLimits.sleep(wait.get());
          continue;
        }
      }
      JsonNode answer = parse(response.body());
      if (status >= 200 && status < 300) {
        return answer;
      }
      throw DoFailures.forStatus(
          request, status, answer.path("id").asText(null), answer.path("message").asText(null));
    }
  }

  private String token() {
    String t = resolvedToken;
    if (t == null) {
      t = token.get();
      resolvedToken = t;
    }
    return t;
  }

  private JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      // A proxy's HTML error page, say: report the status without it.
      return json.createObjectNode();
    }
  }

  /** The path and query of a {@code next} link, so pages come from this client's base URL. */
  private static String relative(String link) {
    URI uri = URI.create(link);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static String withoutQuery(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  static String queryString(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    query.forEach(
        (k, v) ->
            out.append(out.length() == 0 ? '?' : '&')
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }

  /** Encodes one path segment (a domain, a repository name with a slash). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static URI stripSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }

  @Override
  public String toString() {
    return "DigitalOceanApi[" + baseUrl + "]";
  }
}
