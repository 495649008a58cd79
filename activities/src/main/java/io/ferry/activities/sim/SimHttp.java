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
    return new HttpAnswer(200, latency);
  }
}
