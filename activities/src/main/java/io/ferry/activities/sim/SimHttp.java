package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HttpPort;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP endpoints answering 200 in a fixed time: {@value #DEFAULT_MS} ms unless {@link #setLatency}
 * names a prefix of the URL (the longest prefix wins).
 */
final class SimHttp implements HttpPort {

  static final long DEFAULT_MS = 35;

  private final Map<String, Duration> latencies = new TreeMap<>();
  private final Map<String, Integer> statuses = new TreeMap<>();

  /** Makes GETs of URLs starting with the prefix answer with this status. */
  synchronized void setStatus(String urlPrefix, int status) {
    statuses.put(Failures.require("urlPrefix", urlPrefix), status);
  }

  synchronized void setLatency(String urlPrefix, Duration p95) {
    latencies.put(Failures.require("urlPrefix", urlPrefix), Failures.require("p95", p95));
  }

  @Override
  public synchronized HttpAnswer get(String url) {
    Duration latency = Duration.ofMillis(DEFAULT_MS);
    int longest = -1;
    for (Map.Entry<String, Duration> e : latencies.entrySet()) {
      if (url.startsWith(e.getKey()) && e.getKey().length() > longest) {
        longest = e.getKey().length();
        latency = e.getValue();
      }
    }
    int status = 200;
    longest = -1;
    for (Map.Entry<String, Integer> e : statuses.entrySet()) {
      if (url.startsWith(e.getKey()) && e.getKey().length() > longest) {
        longest = e.getKey().length();
        status = e.getValue();
      }
    }
    return new HttpAnswer(status, latency);
  }
}
