package io.ferry.activities.probe;

import io.ferry.activities.Failures;
import io.ferry.activities.Polling;
import io.ferry.activities.port.BenchmarkPort;
import io.ferry.activities.port.EmbedderPort;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.contract.ProbeActivities;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link ProbeActivities} over the Weaviate, HTTP and benchmark ports. */
public final class ProbeActivitiesImpl implements ProbeActivities {

  static final String PROBE_QUERY = "what did we decide about billing last week";

  private final WeaviatePort weaviate;
  private final HttpPort http;
  private final BenchmarkPort bench;
  private final EmbedderPort embedder;
  private final Polling polling;

  public ProbeActivitiesImpl(
      WeaviatePort weaviate,
      HttpPort http,
      BenchmarkPort bench,
      EmbedderPort embedder,
      Polling polling) {
    this.weaviate = weaviate;
    this.http = http;
    this.bench = bench;
    this.embedder = embedder;
    this.polling = polling;
  }

  @Override
  public Measurement weaviateReady(WeaviateReady request) {
    Failures.require("target", request.target());
    Duration waitAtMost = request.waitAtMost() == null ? polling.timeout() : request.waitAtMost();
    Instant deadline = Instant.now().plus(waitAtMost);
    Optional<Duration> answer;
    while ((answer = weaviate.ready(request.target())).isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw Failures.thresholdNotMet(
            "Weaviate at "
                + request.target().url()
                + " was not ready within "
                + waitAtMost.toMillis()
                + " ms");
      }
      Activity.getExecutionContext().heartbeat("waiting for " + request.target().url());
      polling.pause();
    }
    return lessThan(
        "Weaviate ready answer", millis(answer.get()), "ms", limitMillis(request.limit()));
  }

  @Override
  public Measurement http(HttpProbe request) {
    String url = Failures.require("url", request.url());
    int samples = Math.max(1, request.samples());
    List<Double> latencies = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      HttpAnswer answer = http.get(url);
      if (answer.status() != request.expectStatus()) {
        throw Failures.thresholdNotMet(
            "GET " + url + " answered " + answer.status() + ", expected " + request.expectStatus());
      }
      latencies.add(millis(answer.elapsed()));
    }
    return lessThan("p95 latency of " + url, p95(latencies), "ms", limitMillis(request.limit()));
  }

  @Override
  public Measurement pgbench(PgbenchRequest request) {
    Failures.require("host", request.host());
    Failures.require("target", request.target());
    Duration duration = request.duration() == null ? Duration.ofSeconds(60) : request.duration();
    double tps =
        bench.pgbench(request.host(), request.target(), Math.max(1, request.clients()), duration);
    Double floor = request.minTps() > 0 ? request.minTps() : null;
    boolean passed = floor == null || tps >= floor;
    Measurement m = new Measurement("pgbench throughput", tps, "TPS", floor, passed);
    if (!passed) {
      throw Failures.thresholdNotMet(
          "pgbench measured " + fmt(tps) + " TPS, below the floor of " + fmt(floor) + " TPS");
    }
    return m;
  }

  @Override
  public Measurement vectorQuery(VectorQueryProbe request) {
    Failures.require("target", request.target());
    String collection = Failures.require("collection", request.collection());
    weaviate
        .collection(request.target(), collection)
        .orElseThrow(() -> Failures.notFound("collection " + collection + " does not exist"));
    float[] vector = embedder.embed(List.of(PROBE_QUERY)).get(0);
    int samples = Math.max(1, request.samples());
    List<Double> latencies = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      latencies.add(millis(weaviate.nearVector(request.target(), collection, vector)));
    }
    return lessThan(
        "p95 near-vector query on " + collection,
        p95(latencies),
        "ms",
        limitMillis(request.limit()));
  }

  /** A measurement that passes when at most the limit; fails with ThresholdNotMet otherwise. */
  private static Measurement lessThan(String name, double value, String unit, Double limit) {
    boolean passed = limit == null || value <= limit;
    if (!passed) {
      throw Failures.thresholdNotMet(
          name
              + " measured "
              + fmt(value)
              + " "
              + unit
              + ", above the limit of "
              + fmt(limit)
              + " "
              + unit);
    }
    return new Measurement(name, value, unit, limit, true);
  }

  /** Nearest-rank 95th percentile. */
  static double p95(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(0.95 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1_000_000.0;
  }

  private static Double limitMillis(Duration limit) {
    return limit == null ? null : millis(limit);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
  }

  @Override
  public Measurement smoke(SmokeRequest request) {
    List<String> failures = new ArrayList<>();
    long slowest = answers(request, failures);
    if (!failures.isEmpty()) {
      throw Failures.thresholdNotMet(
          "smoke test of " + request.baseUrl() + " failed: " + once(failures));
    }
    return new Measurement("slowest smoke answer", slowest, "ms", null, true);
  }

  @Override
  public ProbeRound probeRound(SmokeRequest request) {
    List<String> failures = new ArrayList<>();
    long slowest = answers(request, failures);
    return failures.isEmpty()
        ? new ProbeRound(true, "all answered, slowest " + slowest + " ms")
        : new ProbeRound(false, once(failures));
  }

  /** Each failure once, with how many samples gave it: five equal lines say nothing new. */
  static String once(List<String> failures) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    failures.forEach(f -> counts.merge(f, 1, Integer::sum));
    List<String> lines = new ArrayList<>();
    counts.forEach((f, n) -> lines.add(n == 1 ? f : f + " (" + n + " samples)"));
    return String.join("; ", lines);
  }

  /** Sends every sample; collects what failed; returns the slowest answer in ms. */
  private long answers(SmokeRequest request, List<String> failures) {
    String base = Failures.require("baseUrl", request.baseUrl());
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    long slowest = 0;
    for (SmokeCheck check : request.checks()) {
      String url = trimmed + check.path();
      for (int i = 0; i < check.samples(); i++) {
        HttpAnswer answer;
        try {
          answer = http.get(url);
        } catch (RuntimeException e) {
          failures.add("GET " + url + " failed: " + e.getMessage());
          continue;
        }
        long ms = answer.elapsed().toMillis();
        slowest = Math.max(slowest, ms);
        if (answer.status() != check.expectStatus()) {
          failures.add(
              "GET " + url + " answered " + answer.status() + ", expected " + check.expectStatus());
        } else if (check.maxLatency() != null
            && answer.elapsed().compareTo(check.maxLatency()) > 0) {
          failures.add(
              "GET " + url + " took " + ms + " ms, limit " + check.maxLatency().toMillis() + " ms");
        }
      }
    }
    return slowest;
  }
}
