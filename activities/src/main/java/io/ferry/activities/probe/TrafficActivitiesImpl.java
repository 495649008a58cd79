package io.ferry.activities.probe;

import io.ferry.activities.Failures;
import io.ferry.activities.Polling;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.HttpPort.HttpAnswer;
import io.ferry.activities.port.ReplicationPort;
import io.ferry.activities.port.ReplicationPort.Standby;
import io.ferry.contract.TrafficActivities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link TrafficActivities} over HTTP probes and the primary's replication view. */
public final class TrafficActivitiesImpl implements TrafficActivities {

  private final HttpPort http;
  private final ReplicationPort replication;
  private final PublicRequests publicRequests;

  public TrafficActivitiesImpl(HttpPort http, ReplicationPort replication, Polling polling) {
    this.http = http;
    this.replication = replication;
    this.publicRequests = new PublicRequests(http, polling);
  }

  private record Sample(double successRate, Duration p95, int failed) {}

  @Override
  public AnalysisRound probeRound(AnalysisProbe probe) {
    Failures.require("newUrls", probe.newUrls());
    Failures.require("oldUrls", probe.oldUrls());
    if (probe.requests() < 1) {
      throw Failures.invalidInput("requests must be at least 1, was " + probe.requests());
    }
    Sample fresh = sample(probe.newUrls(), probe.requests());
    Sample old = sample(probe.oldUrls(), probe.requests());
    boolean newMeets = meets(fresh, probe);
    boolean oldMeets = meets(old, probe);
    Verdict verdict;
    String reason = null;
    if (!newMeets && oldMeets) {
      verdict = Verdict.FAIL;
      reason = missed(fresh, probe, "the new backend");
    } else if (!newMeets) {
      verdict = Verdict.INCONCLUSIVE;
      reason = "the old backend misses the thresholds too: " + missed(old, probe, "it");
    } else {
      verdict = Verdict.PASS;
    }
    Duration maxLag = null;
    if (probe.lag() != null) {
      LagReading lag = lag(probe.lag());
      maxLag = lag.max;
      if (lag.problem != null && verdict == Verdict.PASS) {
        verdict = Verdict.INCONCLUSIVE;
        reason = lag.problem;
      } else if (maxLag != null && maxLag.compareTo(probe.lag().max()) > 0) {
        verdict = Verdict.FAIL;
        reason =
            "replication lag "
                + maxLag.toMillis()
                + " ms is over the limit of "
                + probe.lag().max().toMillis()
                + " ms"
                + (reason == null ? "" : "; " + reason);
      }
    }
    List<String> publicUrls = probe.publicUrls() == null ? List.of() : probe.publicUrls();
    PublicRequests.Tally tally =
        publicRequests.during(publicUrls, probe.requests(), probe.publicSpan());
    int publicRequests = tally.requests();
    int publicFailed = tally.failed();
    boolean budgetSpent = publicRequests > 0 && publicFailed > probe.publicFailuresAllowed();
    if (budgetSpent) {
      verdict = Verdict.FAIL;
      String spent =
          "zero-downtime budget spent: "
              + publicFailed
              + " of "
              + publicRequests
              + " requests to "
              + String.join(", ", publicUrls)
              + " failed at "
              + probe.newPercent()
              + " %, "
              + Math.max(0, probe.publicFailuresAllowed())
              + " more allowed (first: "
              + tally.firstFailure()
              + ")";
      reason = reason == null ? spent : spent + "; " + reason;
    }
    return new AnalysisRound(
        probe.newPercent(),
        verdict,
        fresh.successRate,
        fresh.p95,
        old.successRate,
        old.p95,
        maxLag,
        reason,
        probe.inconclusiveFails(),
        publicRequests,
        publicFailed,
        budgetSpent);
  }

  private record LagReading(Duration max, String problem) {}

  private LagReading lag(LagLimit limit) {
    List<Standby> standbys = replication.standbys(Failures.require("lag.primary", limit.primary()));
    List<String> wanted = limit.standbys() == null ? List.of() : limit.standbys();
    Duration max = Duration.ZERO;
    List<String> unknown = new ArrayList<>();
    for (String name : wanted) {
      if (standbys.stream().noneMatch(s -> name.equals(s.applicationName()))) {
        unknown.add(name + " (not connected)");
      }
    }
    for (Standby s : standbys) {
      if (!wanted.isEmpty() && !wanted.contains(s.applicationName())) {
        continue;
      }
      if (s.replayLag() == null) {
        // PostgreSQL has no figure while nothing was replayed lately: an idle standby, lag 0 when
        // it has replayed everything sent
        if (s.replayLagBytes() > 0) {
          unknown.add(
              s.applicationName() + " (no lag figure, " + s.replayLagBytes() + " bytes behind)");
        }
        continue;
      }
      max = s.replayLag().compareTo(max) > 0 ? s.replayLag() : max;
    }
    return new LagReading(max, unknown.isEmpty() ? null : "no replication lag from " + unknown);
  }

  private Sample sample(List<String> urls, int requests) {
    List<Long> millis = new ArrayList<>();
    int ok = 0;
    int total = 0;
    for (String url : urls) {
      for (int i = 0; i < requests; i++) {
        total++;
        HttpAnswer answer;
        try {
          answer = http.get(url);
        } catch (io.temporal.failure.ApplicationFailure e) {
          throw e;
        } catch (RuntimeException e) {
          // no answer at all (refused, timed out): a failed request, slower than any answer
          millis.add(Long.MAX_VALUE / 2);
          continue;
        }
        millis.add(answer.elapsed().toMillis());
        if (answer.status() >= 200 && answer.status() < 400) {
          ok++;
        }
      }
    }
    millis.sort(null);
    long p95 = millis.isEmpty() ? 0 : millis.get((int) Math.ceil(millis.size() * 0.95) - 1);
    return new Sample(
        total == 0 ? 0 : (double) ok / total,
        Duration.ofMillis(Math.min(p95, 86_400_000L)),
        total - ok);
  }

  private static boolean meets(Sample s, AnalysisProbe probe) {
    return s.successRate >= probe.minSuccessRate() && s.p95.compareTo(probe.maxP95()) <= 0;
  }

  private static String missed(Sample s, AnalysisProbe probe, String who) {
    List<String> why = new ArrayList<>();
    if (s.successRate < probe.minSuccessRate()) {
      why.add(
          who
              + " answered "
              + Math.round(s.successRate * 1000) / 10.0
              + " % ok, under "
              + Math.round(probe.minSuccessRate() * 1000) / 10.0
              + " %");
    }
    if (s.p95.compareTo(probe.maxP95()) > 0) {
      why.add(
          who + "'s p95 " + s.p95.toMillis() + " ms is over " + probe.maxP95().toMillis() + " ms");
    }
    return String.join("; ", why);
  }
}
