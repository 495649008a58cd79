package io.ferry.activities.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.activities.sim.seeds.SimSeeds;
import io.ferry.plan.Plan;
import io.ferry.plan.PlanLoader;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The world each roadmap's example plan seeds, change by change, against a recorded copy in {@code
 * src/test/resources/sim/} (rewrite it after an intentional change with -Dferry.recordSeeds=true).
 */
class SimSeedsTest {

  static java.util.List<Roadmap> roadmaps() {
    return Roadmaps.all();
  }

  @ParameterizedTest
  @MethodSource("roadmaps")
  void seedingTheExamplePlan_makesTheRecordedLedger(Roadmap roadmap) throws IOException {
    SimulatedFleet fleet = new SimulatedFleet();

    fleet.seed(examplePlan(roadmap));

    String seeded = render(fleet.ledger());
    String file = "seeded-" + roadmap.id() + ".txt";
    if (Boolean.getBoolean("ferry.recordSeeds")) {
      Files.writeString(Path.of("src/test/resources/sim", file), seeded);
    }
    try (InputStream in = getClass().getResourceAsStream("/sim/" + file)) {
      assertThat(in).as(file + " (record it with -Dferry.recordSeeds=true)").isNotNull();
      assertThat(seeded).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @MethodSource("roadmaps")
  void everyRoadmap_hasOneSeedForItsPlanType_withKebabCaseKnobsEachOnce(Roadmap roadmap) {
    assertThat(SimSeeds.ALL.stream().filter(s -> s.roadmap().equals(roadmap.id()))).hasSize(1);
    SimSeed<?> seed = SimSeeds.require(roadmap.id());

    assertThat(seed.planType()).isEqualTo(roadmap.planType());
    Set<String> names = new HashSet<>();
    for (SimKnob<?> knob : seed.knobs()) {
      assertThat(knob.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
      assertThat(names.add(knob.name())).as(knob.name() + " once").isTrue();
      assertThat(knob.does()).isNotBlank();
      assertThat(knob.valueForm()).isNotBlank();
    }
  }

  @ParameterizedTest
  @MethodSource("roadmaps")
  void everyKnob_takesAValueOfItsForm_onTheExamplePlan(Roadmap roadmap) throws IOException {
    Plan plan = examplePlan(roadmap);
    for (SimKnob<?> knob : SimSeeds.require(roadmap.id()).knobs()) {
      SimulatedFleet fleet = new SimulatedFleet();
      fleet.seed(plan);
      fleet.turn(plan, knob.name(), knob.example());

      assertThatThrownBy(() -> fleet.turn(plan, knob.name(), "soon"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("sim knob " + knob.name() + ": 'soon' is not ");
    }
  }

  @Test
  void chatLatency_slowsTheChatEndpointOnly() throws IOException {
    Roadmap roadmap = Roadmaps.require("weaviate-first");
    var plan = (io.ferry.roadmap.weaviatefirst.WeaviateFirstPlan) examplePlan(roadmap);
    SimulatedFleet fleet = new SimulatedFleet();
    fleet.seed(plan);

    fleet.turn(plan, "chat-latency", "80ms");

    assertThat(fleet.httpPort().get(plan.probes().chatUrl()).elapsed())
        .isEqualTo(Duration.ofMillis(80));
    assertThat(fleet.httpPort().get(plan.probes().nlQueryUrl()).elapsed())
        .isEqualTo(Duration.ofMillis(SimHttp.DEFAULT_MS));
  }

  @Test
  void monitorStatus_makesTheMonitoredHostAnswerIt() throws IOException {
    Roadmap roadmap = Roadmaps.require("app-platform");
    var plan = (io.ferry.roadmap.appplatform.AppPlatformPlan) examplePlan(roadmap);
    SimulatedFleet fleet = new SimulatedFleet();
    fleet.seed(plan);
    String monitored = "https://" + plan.dns().records().get(0).name() + "." + plan.dns().domain();

    fleet.turn(plan, "monitor-status", "503");

    assertThat(fleet.httpPort().get(monitored + "/api/health").status()).isEqualTo(503);
    assertThat(fleet.httpPort().get("https://elsewhere.example.com/").status()).isEqualTo(200);
  }

  @Test
  void unknownKnob_isAnErrorListingTheRoadmapsKnobs() throws IOException {
    Plan plan = examplePlan(Roadmaps.require("weaviate-first"));
    SimulatedFleet fleet = new SimulatedFleet();
    fleet.seed(plan);

    assertThatThrownBy(() -> fleet.turn(plan, "dns-latency", "1s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown sim knob 'dns-latency' for weaviate-first; its knobs are chat-latency,"
                + " nl-query-latency");
  }

  static Plan examplePlan(Roadmap roadmap) throws IOException {
    try (InputStream in = Roadmap.class.getResourceAsStream(roadmap.examplePlan())) {
      return new PlanLoader()
          .load(
              roadmap.examplePlan(),
              new String(in.readAllBytes(), StandardCharsets.UTF_8),
              roadmap.planType());
    }
  }

  /** Every change in order, then every resource: what a rehearsal's ledger starts from. */
  private static String render(Ledger ledger) {
    StringBuilder text = new StringBuilder();
    for (LedgerChange change : ledger.journal()) {
      text.append(change.op())
          .append(' ')
          .append(change.before())
          .append(" -> ")
          .append(change.after())
          .append('\n');
    }
    text.append('\n');
    ledger.snapshot().forEach((key, resource) -> text.append(resource).append('\n'));
    return text.toString();
  }
}
