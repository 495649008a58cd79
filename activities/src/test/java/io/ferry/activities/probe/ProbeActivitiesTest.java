package io.ferry.activities.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.contract.DataActivities.CollectionsRequest;
import io.ferry.contract.DataActivities.DatabaseRequest;
import io.ferry.contract.HostActivities.ComposeProject;
import io.ferry.contract.ProbeActivities.HttpProbe;
import io.ferry.contract.ProbeActivities.Measurement;
import io.ferry.contract.ProbeActivities.PgbenchRequest;
import io.ferry.contract.ProbeActivities.VectorQueryProbe;
import io.ferry.contract.ProbeActivities.WeaviateReady;
import io.ferry.plan.SecretRef;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeActivitiesTest {

  private final SimFixture sim = new SimFixture();
  private final WeaviateTarget weaviate =
      new WeaviateTarget("http://10.120.0.50:8080", SecretRef.of("env:ORG_WEAVIATE_API_KEY"));

  @AfterEach
  void close() {
    sim.close();
  }

  private void startWeaviate() {
    sim.host.composeUp(
        new ComposeProject(
            sim.plan.appNode().atHost("10.120.0.50"),
            "/opt/weaviate",
            "weaviate",
            "services:\n  weaviate:\n    image: semitechnologies/weaviate:1.30.0\n",
            Map.of()));
  }

  @Test
  void weaviateReady_withinTheLimit_passes() {
    startWeaviate();

    Measurement m =
        sim.probe.weaviateReady(new WeaviateReady(weaviate, Duration.ofSeconds(1), null));

    assertThat(m.value()).isEqualTo(35.0);
    assertThat(m.limit()).isEqualTo(1000.0);
    assertThat(m.passed()).isTrue();
  }

  @Test
  void weaviateReady_overTheLimit_failsNamingValueAndLimit() {
    startWeaviate();

    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.probe.weaviateReady(new WeaviateReady(weaviate, Duration.ofMillis(20), null)));

    assertThat(failure.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    assertThat(failure.getOriginalMessage()).contains("35 ms", "limit of 20 ms");
  }

  @Test
  void weaviateReady_withoutLimit_onlyMeasures() {
    startWeaviate();

    Measurement m = sim.probe.weaviateReady(new WeaviateReady(weaviate, null, null));

    assertThat(m.limit()).isNull();
    assertThat(m.passed()).isTrue();
  }

  @Test
  void weaviateReady_whileNotRunning_failsAfterWaitingAtMostTheGivenTime() {
    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.probe.weaviateReady(new WeaviateReady(weaviate, null, Duration.ofMillis(50))));

    assertThat(failure.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    assertThat(failure.getOriginalMessage()).contains("not ready within 50 ms");
  }

  @Test
  void http_atTheDefaultLatency_passesTheLimit() {
    Measurement m =
        sim.probe.http(new HttpProbe(sim.plan.probes().chatUrl(), 200, 20, Duration.ofMillis(50)));

    assertThat(m.value()).isEqualTo(35.0);
    assertThat(m.passed()).isTrue();
  }

  @Test
  void http_slowedBySetLatency_failsNamingValueAndLimit() {
    sim.fleet.setLatency("https://api.orchestra.example.com/", Duration.ofMillis(80));

    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.probe.http(
                    new HttpProbe(sim.plan.probes().chatUrl(), 200, 20, Duration.ofMillis(50))));

    assertThat(failure.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    assertThat(failure.getOriginalMessage()).contains("80 ms", "limit of 50 ms");
  }

  @Test
  void http_withoutLimit_onlyMeasuresTheSlowLatency() {
    sim.fleet.setLatency("https://api.orchestra.example.com/", Duration.ofMillis(80));

    Measurement m = sim.probe.http(new HttpProbe(sim.plan.probes().chatUrl(), 200, 5, null));

    assertThat(m.value()).isEqualTo(80.0);
    assertThat(m.passed()).isTrue();
  }

  @Test
  void pgbench_aboveTheFloor_passes_andBelowItFailsNamingBoth() {
    sim.data.ensureDatabase(
        new DatabaseRequest(sim.plan.postgres(), "orchestrator", List.of("vector"), "k"));

    Measurement m =
        sim.probe.pgbench(
            new PgbenchRequest(
                sim.plan.appNode(), sim.plan.postgres(), 16, Duration.ofSeconds(60), 500));
    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.probe.pgbench(
                    new PgbenchRequest(
                        sim.plan.appNode(),
                        sim.plan.postgres(),
                        16,
                        Duration.ofSeconds(60),
                        2000)));

    assertThat(m.value()).isEqualTo(1240.0);
    assertThat(m.passed()).isTrue();
    assertThat(failure.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    assertThat(failure.getOriginalMessage()).contains("1240 TPS", "floor of 2000 TPS");
  }

  @Test
  void vectorQuery_measuresP95AgainstTheLimit() {
    startWeaviate();
    sim.data.createCollections(
        new CollectionsRequest(
            weaviate, List.of(new CollectionSpec("Session", true, Map.of())), "k"));

    Measurement m =
        sim.probe.vectorQuery(
            new VectorQueryProbe(weaviate, "Session", 20, Duration.ofMillis(150)));
    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.probe.vectorQuery(
                    new VectorQueryProbe(weaviate, "Session", 20, Duration.ofMillis(40))));

    assertThat(m.value()).isEqualTo(42.0);
    assertThat(failure.getOriginalMessage()).contains("42 ms", "limit of 40 ms");
  }

  @Test
  void p95_isTheNearestRank() {
    List<Double> values = new java.util.ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      values.add((double) i);
    }

    assertThat(ProbeActivitiesImpl.p95(values)).isEqualTo(19.0);
  }

  @Test
  void repeatedFailures_areSaidOnceWithTheirCount() {
    assertThat(
            ProbeActivitiesImpl.once(
                List.of(
                    "GET https://a/health answered 503, expected 200",
                    "GET https://a/ answered 503, expected 200",
                    "GET https://a/health answered 503, expected 200",
                    "GET https://a/health answered 503, expected 200")))
        .isEqualTo(
            "GET https://a/health answered 503, expected 200 (3 samples);"
                + " GET https://a/ answered 503, expected 200");
  }
}
