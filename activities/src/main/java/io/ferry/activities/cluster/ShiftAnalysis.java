package io.ferry.activities.cluster;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.ProbePause;
import io.ferry.contract.K3sActivities.Analysis;
import io.ferry.contract.K3sActivities.AnalysisRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One analysis window of the shift, as Argo Rollouts' analysis runs: every interval, one probe of
 * each stack directly and one of the public URL through the edge. K3s's success rate and p95 decide
 * pass or fail; too few answers is inconclusive. The public probes are the zero-downtime loop:
 * their failures count against the budget the workflow still has.
 */
public final class ShiftAnalysis {

  private final HttpPort http;
  private final ProbePause pause;

  ShiftAnalysis(HttpPort http, ProbePause pause) {
    this.http = http;
    this.pause = pause;
  }

  Analysis run(AnalysisRequest r) {
    long rounds = Math.max(1, r.window().toMillis() / Math.max(1, r.interval().toMillis()));
    List<Duration> k3sLatencies = new ArrayList<>();
    List<Duration> swarmLatencies = new ArrayList<>();
    int k3sAnswered = 0;
    int k3sOk = 0;
    int publicFailed = 0;
    String lastPublicFailure = null;
    for (long i = 0; i < rounds; i++) {
      if (i > 0) {
        pause.pause(r.interval());
      }
      HttpAnswer cluster = get(r.k3sUrl());
      if (cluster != null) {
        k3sAnswered++;
        k3sLatencies.add(cluster.elapsed());
        if (cluster.status() < 400) {
          k3sOk++;
        }
      }
      HttpAnswer swarm = get(r.swarmUrl());
      if (swarm != null) {
        swarmLatencies.add(swarm.elapsed());
      }
      HttpAnswer front = get(r.publicUrl());
      if (front == null || front.status() >= 500) {
        publicFailed++;
        lastPublicFailure = front == null ? "no answer" : "status " + front.status();
      }
    }
    double rate = k3sAnswered == 0 ? 0 : (double) k3sOk / k3sAnswered;
    Duration k3sP95 = p95(k3sLatencies);
    Duration swarmP95 = p95(swarmLatencies);
    String verdict;
    if (k3sAnswered < r.minSamples()) {
      verdict = "inconclusive";
    } else if (rate < r.minSuccessRate() || k3sP95.compareTo(r.maxP95()) > 0) {
      verdict = "fail";
    } else {
      verdict = "pass";
    }
    Analysis result =
        new Analysis(
            r.k3sPercent(),
            verdict,
            k3sAnswered,
            rate,
            k3sP95,
            swarmP95,
            (int) rounds,
            publicFailed);
    if (publicFailed > r.failedBudgetLeft()) {
      throw Failures.thresholdNotMet(
          "zero-downtime budget spent at "
              + r.k3sPercent()
              + " % on K3s ("
              + lastPublicFailure
              + " from "
              + r.publicUrl()
              + "): "
              + result.summary());
    }
    if (verdict.equals("fail")) {
      throw Failures.thresholdNotMet(
          "analysis failed at "
              + r.k3sPercent()
              + " % (wants at least "
              + Math.round(r.minSuccessRate() * 1000) / 10.0
              + " % ok and p95 within "
              + r.maxP95().toMillis()
              + " ms): "
              + result.summary());
    }
    if (verdict.equals("inconclusive") && r.inconclusiveFails()) {
      throw Failures.thresholdNotMet(
          "analysis inconclusive twice at "
              + r.k3sPercent()
              + " % ("
              + k3sAnswered
              + " of "
              + r.minSamples()
              + " samples answered): decide whether to retry or roll back");
    }
    return result;
  }

  private HttpAnswer get(String url) {
    try {
      return http.get(url);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Duration p95(List<Duration> latencies) {
    if (latencies.isEmpty()) {
      return Duration.ZERO;
    }
    List<Duration> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
  }
}
