package io.ferry.activities.transition;

import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.NodeMetricsPort;
import io.ferry.activities.port.NodeMetricsPort.NodeMetrics;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.contract.TransitionActivities.WatchRequest;
import io.ferry.contract.TransitionActivities.WatchSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One round of the soak's watch (seed "Key Metrics to Watch"): node exporter's CPU, memory and
 * disk, the API's answer time and Weaviate's query p95, each held against the plan's limit. A
 * breach is reported in the sample, not thrown: the soak counts it and carries on.
 */
final class ResourceWatch {

  /** CPU busy share comes from two reads of the counters this far apart. */
  static final long CPU_SPACING_MS = 1000;

  private static final int DIMENSIONS = 384;

  private final NodeMetricsPort metrics;
  private final HttpPort http;
  private final WeaviatePort weaviate;

  ResourceWatch(NodeMetricsPort metrics, HttpPort http, WeaviatePort weaviate) {
    this.metrics = metrics;
    this.http = http;
    this.weaviate = weaviate;
  }

  WatchSample sample(WatchRequest r) {
    List<String> breaches = new ArrayList<>();
    NodeMetrics m = metrics.sample(r.metricsUrl(), CPU_SPACING_MS);
    over(breaches, "cpu", m.cpuPercent(), r.cpuPercent(), "%");
    over(breaches, "memory", m.memoryPercent(), r.memoryPercent(), "%");
    over(breaches, "disk", m.diskPercent(), r.diskPercent(), "%");
    HttpAnswer api = http.get(r.apiUrl());
    long apiMs = api.elapsed().toMillis();
    if (api.status() != 200) {
      breaches.add("API " + r.apiUrl() + " answered " + api.status());
    }
    over(breaches, "API", apiMs, r.apiLatency().toMillis(), " ms");
    long p95 = weaviateP95(r);
    over(breaches, "Weaviate p95", p95, r.weaviateP95().toMillis(), " ms");
    return new WatchSample(
        m.cpuPercent(), m.memoryPercent(), m.diskPercent(), apiMs, p95, List.copyOf(breaches));
  }

  private long weaviateP95(WatchRequest r) {
    float[] probe = new float[DIMENSIONS];
    probe[0] = 1f;
    int samples = Math.max(1, r.samples());
    List<Long> millis = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      Duration d = weaviate.nearVector(r.weaviate(), r.collection(), probe);
      millis.add(d.toMillis());
    }
    millis.sort(null);
    return millis.get((int) Math.ceil(0.95 * samples) - 1);
  }

  private static void over(
      List<String> breaches, String what, double value, double limit, String unit) {
    if (value > limit) {
      breaches.add(
          String.format(Locale.ROOT, "%s %.0f%s > %.0f%s", what, value, unit, limit, unit));
    }
  }
}
