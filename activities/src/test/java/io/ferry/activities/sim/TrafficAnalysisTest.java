package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.Polling;
import io.ferry.activities.probe.TrafficActivitiesImpl;
import io.ferry.contract.TrafficActivities.AnalysisProbe;
import io.ferry.contract.TrafficActivities.AnalysisRound;
import io.ferry.contract.TrafficActivities.LagLimit;
import io.ferry.contract.TrafficActivities.Verdict;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analysis round's verdicts over the simulated HTTP endpoints and replication. */
class TrafficAnalysisTest {

  private static final String OLD = "http://10.0.0.1:8000/health";
  private static final String NEW = "http://10.0.0.1:8003/health";
  private static final PostgresTarget PRIMARY =
      new PostgresTarget("db.example.com", 25432, "aurora", "ferry", SecretRef.of("env:PG"), null);

  private final SimWorld world = new SimWorld();
  private final TrafficActivitiesImpl traffic =
      new TrafficActivitiesImpl(world.http, world.replication, Polling.SIMULATED);

  private AnalysisProbe probe(LagLimit lag, boolean inconclusiveFails) {
    return new AnalysisProbe(
        25,
        List.of(OLD),
        List.of(NEW),
        5,
        0.99,
        Duration.ofMillis(300),
        lag,
        inconclusiveFails,
        List.of(),
        0,
        null);
  }

  @Test
  void healthyBackends_pass() {
    AnalysisRound round = traffic.probeRound(probe(null, false));

    assertThat(round.verdict()).isEqualTo(Verdict.PASS);
    assertThat(round.passed()).isTrue();
    assertThat(round.summary()).startsWith("PASS at 25 %");
  }

  @Test
  void newBackendFailing_whileTheOldServes_fails() {
    world.setHttpStatus("http://10.0.0.1:8003", 502);

    AnalysisRound round = traffic.probeRound(probe(null, false));

    assertThat(round.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(round.passed()).isFalse();
    assertThat(round.reason()).contains("the new backend answered 0.0 % ok");
  }

  @Test
  void bothFailing_isInconclusive_andCountsAsFailedOnlyUnderTheRollbackPolicy() {
    world.setHttpLatency("http://10.0.0.1", Duration.ofSeconds(2));

    AnalysisRound asked = traffic.probeRound(probe(null, false));
    AnalysisRound strict = traffic.probeRound(probe(null, true));

    assertThat(asked.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(asked.passed()).isTrue();
    assertThat(strict.passed()).isFalse();
    assertThat(asked.reason()).contains("the old backend misses the thresholds too");
  }

  @Test
  void replicationLagOverTheLimit_fails_andAMissingStandbyIsInconclusive() {
    world.replication.attach(PRIMARY, "replica_tx", "10.0.0.7", 5432, "replica_tx");
    world.setReplicationLag(Duration.ofSeconds(30));

    AnalysisRound lagging =
        traffic.probeRound(probe(new LagLimit(PRIMARY, List.of(), Duration.ofSeconds(10)), false));
    AnalysisRound missing =
        traffic.probeRound(
            probe(new LagLimit(PRIMARY, List.of("replica_vg"), Duration.ofSeconds(10)), false));

    assertThat(lagging.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(lagging.reason()).contains("replication lag 30000 ms is over the limit of 10000 ms");
    assertThat(missing.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(missing.reason()).contains("replica_vg (not connected)");
  }

  @Test
  void failedPublicRequestsOverTheBudget_failDecisively_andWithinItPass() {
    String front = "http://edge.example.com/health";
    world.setHttpStatus("http://edge.example.com", 502);
    AnalysisProbe base = probe(null, false);

    AnalysisRound spent = traffic.probeRound(withPublic(base, front, 4));
    AnalysisRound within = traffic.probeRound(withPublic(base, front, 5));

    assertThat(spent.publicFailed()).isEqualTo(5);
    assertThat(spent.publicRequests()).isEqualTo(5);
    assertThat(spent.passed()).isFalse();
    assertThat(spent.decisive()).isTrue();
    assertThat(spent.reason()).contains("zero-downtime budget spent: 5 of 5 requests");
    assertThat(within.passed()).isTrue();
    assertThat(within.decisive()).isFalse();
    assertThat(within.summary()).contains("public 5/5 requests failed");
  }

  private static AnalysisProbe withPublic(AnalysisProbe p, String url, int allowed) {
    return new AnalysisProbe(
        p.newPercent(),
        p.oldUrls(),
        p.newUrls(),
        p.requests(),
        p.minSuccessRate(),
        p.maxP95(),
        p.lag(),
        p.inconclusiveFails(),
        List.of(url),
        allowed,
        null);
  }
}
