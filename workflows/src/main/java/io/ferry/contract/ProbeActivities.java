package io.ferry.contract;

import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;

/**
 * Measurements against thresholds. A probe whose measurement misses its limit fails with {@code
 * ThresholdNotMet}, naming the measured value and the limit; without a limit it only measures.
 */
@ActivityInterface(namePrefix = "Probe.")
public interface ProbeActivities {

  /** Polls Weaviate's ready endpoint until it answers 200, then checks one answer's latency. */
  Measurement weaviateReady(WeaviateReady request);

  /** Sends {@code samples} requests and reports the p95 latency. */
  Measurement http(HttpProbe request);

  /** Runs pgbench on a host against the database and reports transactions per second. */
  Measurement pgbench(PgbenchRequest request);

  /** Runs near-vector queries against a collection and reports the p95 latency. */
  Measurement vectorQuery(VectorQueryProbe request);

  /**
   * Sends each check's samples to {@code baseUrl + path}; fails with {@code ThresholdNotMet}
   * listing every answer with the wrong status or over the latency limit.
   */
  Measurement smoke(SmokeRequest request);

  /** One round of the checks; a failed answer is reported, not thrown, so a watch can count it. */
  ProbeRound probeRound(SmokeRequest request);

  record SmokeCheck(String path, int expectStatus, int samples, Duration maxLatency) {}

  record SmokeRequest(String baseUrl, java.util.List<SmokeCheck> checks) {}

  record ProbeRound(boolean passed, String detail) implements io.ferry.runbook.ProbeVerdict {}

  /**
   * @param limit fail when the ready answer takes longer; null only measures
   */
  record WeaviateReady(WeaviateTarget target, Duration limit, Duration waitAtMost) {}

  /**
   * @param limit fail when p95 latency exceeds it; null only measures
   */
  record HttpProbe(String url, int expectStatus, int samples, Duration limit) {}

  record PgbenchRequest(
      SshTarget host, PostgresTarget target, int clients, Duration duration, double minTps) {}

  record VectorQueryProbe(WeaviateTarget target, String collection, int samples, Duration limit) {}

  /**
   * @param name what was measured, such as {@code p95 latency}
   * @param value the measured value in {@code unit}
   * @param limit the threshold it was held against, or null
   */
  record Measurement(String name, double value, String unit, Double limit, boolean passed)
      implements Summarized {
    @Override
    public String summary() {
      String shown =
          value == Math.rint(value)
              ? Long.toString((long) value)
              : String.format(java.util.Locale.ROOT, "%.1f", value);
      return name
          + " "
          + shown
          + " "
          + unit
          + (limit == null
              ? ""
              : (passed ? " (limit " : " (MISSED limit ") + fmt(limit) + " " + unit + ")");
    }

    private static String fmt(double d) {
      return d == Math.rint(d)
          ? Long.toString((long) d)
          : String.format(java.util.Locale.ROOT, "%.1f", d);
    }
  }
}
