package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.roadmap.Roadmaps;
import io.ferry.roadmap.appplatform.AppPlatformSteps;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import io.ferry.worker.ExitCodes;
import org.junit.jupiter.api.Test;

class RoadmapsAndHelpTest {

  @Test
  void roadmaps_listsEveryStepOfWeaviateFirstWithItsUndo() {
    Cli.Run run = Cli.offline().run("roadmaps");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    for (StepDef step : WeaviateFirstSteps.ALL) {
      assertThat(run.out()).contains(step.id());
      if (step.undo() != null) {
        assertThat(run.out()).contains("undo: " + step.undo());
      }
    }
    assertThat(run.out()).contains("[conditional]", "[point of no return]");
  }

  @Test
  void roadmapsJson_hasPhasesAndSteps() throws Exception {
    Cli.Run run = Cli.offline().run("roadmaps", "--output", "json");

    JsonNode roadmaps = Json.MAPPER.readTree(run.out());
    assertThat(roadmaps.get(0).get("id").asText()).isEqualTo("weaviate-first");
    long steps = 0;
    for (JsonNode phase : roadmaps.get(0).get("phases")) {
      steps += phase.get("steps").size();
    }
    assertThat(steps).isEqualTo(WeaviateFirstSteps.ALL.size());
  }

  @Test
  void roadmapsOfOne_showsItsStepsGatesAndSimKnobs_andNoOtherRoadmap() {
    Cli.Run run = Cli.offline().run("roadmaps", "app-platform");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : AppPlatformSteps.ALL) {
      assertThat(run.out()).contains(step.id(), step.title());
    }
    assertThat(run.out())
        .startsWith("app-platform — ")
        .contains("gates: approve-production, approve-dns-cutover, approve-decommission")
        .contains("sim knobs (ferry rehearse app-platform --sim KNOB=VALUE):")
        .contains("monitor-status", "an HTTP status")
        .doesNotContain("weaviate-first")
        .doesNotContain("chat-latency");
  }

  @Test
  void roadmapsOfOneJson_hasStepsGatesAndSimKnobs() throws Exception {
    Cli.Run run = Cli.offline().run("roadmaps", "weaviate-first", "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    JsonNode roadmap = Json.MAPPER.readTree(run.out());
    assertThat(roadmap.get("id").asText()).isEqualTo("weaviate-first");
    long steps = 0;
    for (JsonNode phase : roadmap.get("phases")) {
      steps += phase.get("steps").size();
    }
    assertThat(steps).isEqualTo(WeaviateFirstSteps.ALL.size());
    assertThat(roadmap.get("gates").get(0).asText()).isEqualTo("approve-dns-cutover");
    assertThat(roadmap.get("gates"))
        .hasSize(
            (int) WeaviateFirstSteps.ALL.stream().filter(s -> s.kind() == StepKind.GATE).count());
    JsonNode knob = roadmap.get("simKnobs").get(0);
    assertThat(knob.get("name").asText()).isEqualTo("chat-latency");
    assertThat(knob.get("value").asText()).startsWith("a duration");
    assertThat(knob.get("does").asText()).contains("micro-cache");
  }

  @Test
  void roadmapsOfAnUnknownOne_isAUsageErrorListingTheKnownOnes() {
    Cli.Run run = Cli.offline().run("roadmaps", "weaviate-last");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("unknown roadmap 'weaviate-last'")
        .contains("known roadmaps: " + Roadmaps.ids());
  }

  @Test
  void help_suggestsRehearsingARegisteredRoadmap() {
    Cli.Run run = Cli.offline().run("--help");

    assertThat(run.out()).contains("ferry rehearse " + Roadmaps.all().get(0).id());
  }

  @Test
  void help_listsTheNamedExitCodes() {
    Cli.Run run = Cli.offline().run("--help");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("Exit codes:")
        .contains("INVALID_PLAN", "REFUSED", "NOT_FOUND", "ALREADY_RUNNING")
        .contains("MIGRATION_NOT_COMPLETED", "UNAVAILABLE", "LEDGER_MISMATCH");
    assertThat(run.out()).contains("rehearse", "start", "status", "approve", "dev");
  }

  @Test
  void unknownOption_isAUsageError() {
    Cli.Run run = Cli.offline().run("roadmaps", "--colour");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Unknown option");
  }

  @Test
  void unreachableServer_saysTheAddressAndHowToStartDev() {
    Cli.Run run = new Cli(TemporalClients.grpc()).run("status", "x", "--address", "127.0.0.1:1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).contains("127.0.0.1:1", "ferry dev").doesNotContain("\tat ");
  }
}
