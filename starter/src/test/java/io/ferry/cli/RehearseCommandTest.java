package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.sim.SimKnob;
import io.ferry.activities.sim.seeds.SimSeeds;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps;
import io.ferry.runbook.StepDef;
import io.ferry.worker.ExitCodes;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real weaviate-first workflow, rehearsed on the time-skipping server and simulated fleet. */
class RehearseCommandTest {

  private static String started(StepDef step) {
    return "▸ " + step.id() + " ";
  }

  @Test
  void rehearsal_completesAndShowsEveryStepThatRuns_butNotTheMicroCache() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : WeaviateFirstSteps.ALL) {
      if (step.conditional()) {
        assertThat(run.out()).doesNotContain(started(step));
      } else {
        assertThat(run.out()).contains(started(step));
      }
    }
    assertThat(run.out())
        .contains("approved by rehearsal (auto)")
        .contains("7d of soak: skipping to its end")
        .contains("outcome: completed")
        .contains("~ + droplet");
  }

  @Test
  void slowChat_runsTheMicroCacheSteps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--chat-latency", "80ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : WeaviateFirstSteps.ALL) {
      assertThat(run.out()).contains(started(step));
    }
  }

  @Test
  void simChatLatency_runsTheMicroCacheSteps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--sim", "chat-latency=80ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    for (StepDef step : WeaviateFirstSteps.ALL) {
      assertThat(run.out()).contains(started(step));
    }
    assertThat(run.out())
        .contains("p95 latency of https://api.orchestra.example.com/health/chat 80 ms");
  }

  @Test
  void simKnobWithABadValue_isAUsageErrorNamingTheKnobAndItsForm() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--sim", "chat-latency=fast");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("sim knob chat-latency: 'fast' is not a duration such as 80ms")
        .contains("ferry rehearse --help");
    assertThat(run.out()).doesNotContain("▸ ");
  }

  @Test
  void unknownSimKnob_isAUsageErrorListingTheRoadmapsKnobs() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--sim", "dns-latency=1s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("unknown sim knob 'dns-latency' for weaviate-first")
        .contains("its knobs are chat-latency, nl-query-latency");
  }

  @Test
  void anotherRoadmapsKnob_isUnknownForThisOne() {
    Cli.Run run = Cli.offline().run("rehearse", "app-platform", "--chat-latency", "80ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("unknown sim knob 'chat-latency' for app-platform");
  }

  @Test
  void slowNlQuery_failsItsCheckAndRollsBack() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--sim", "nl-query-latency=5s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.MIGRATION_NOT_COMPLETED);
    assertThat(run.out()).contains("✗ probe-nl-query failed").contains("outcome: rolled-back");
  }

  @Test
  void help_listsEveryRoadmapsSimKnobs() {
    Cli.Run run = Cli.offline().run("rehearse", "--help");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    for (Roadmap roadmap : Roadmaps.all()) {
      assertThat(run.out()).contains("  " + roadmap.id() + ":");
      for (SimKnob<?> knob : SimSeeds.require(roadmap.id()).knobs()) {
        assertThat(run.out())
            .containsPattern("\n    " + knob.name() + " +" + Pattern.quote(knob.valueForm()));
      }
    }
    assertThat(run.out()).contains("--sim KNOB=VALUE", "chat-latency", "monitor-status");
  }

  @Test
  void failedDnsCutover_rollsBackAndLeavesTheLedgerAsItBegan() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--fail-at", "switch-dns");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("✗ switch-dns failed")
        .contains("↶ undo switch-dns")
        .contains("↶ undo create-vector-droplet")
        .contains("outcome: rolled-back")
        .contains("ledger is back at its starting state");
    assertThat(run.out().indexOf("undo switch-dns"))
        .isLessThan(run.out().indexOf("undo create-vector-droplet"));
    assertThat(between(run.out(), "↶ undo create-volume", "✓ undone create-volume"))
        .contains("~ - volume vol-");
    assertThat(between(run.out(), "↶ undo create-firewall", "✓ undone create-firewall"))
        .contains("~ - firewall fw-")
        .doesNotContain("volume");
  }

  /** The lines printed under one step's heading. */
  private static String between(String out, String from, String to) {
    int start = out.indexOf(from);
    int end = out.indexOf(to, start);
    assertThat(start).as(from).isNotNegative();
    assertThat(end).as(to).isGreaterThan(start);
    return out.substring(start, end);
  }

  @Test
  void unknownFailAtStep_isAUsageErrorListingTheSteps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--fail-at", "switch-dnz");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("unknown step 'switch-dnz'")
        .contains("switch-dns, purge-memory-keys");
  }

  @Test
  void unknownRoadmap_isAUsageErrorListingTheRoadmaps() {
    Cli.Run run = Cli.offline().run("rehearse", "weaviate-last");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("known roadmaps: weaviate-first");
  }

  @Test
  void promptMode_rejectingTheCutoverGate_rollsBackAndShowsTheLedgerBackAtItsStart() {
    Cli.Run run =
        Cli.offline()
            .input("y\n\nn\nnot today\n")
            .run("rehearse", "weaviate-first", "--approve", "prompt");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.MIGRATION_NOT_COMPLETED);
    assertThat(run.err())
        .contains("approve gate approve-dns-cutover")
        .contains("n = reject (rolls back)");
    assertThat(run.out())
        .contains("reject approve-dns-cutover by")
        .contains("\"not today\"")
        .contains("outcome: rolled-back")
        .contains("ledger is back at its starting state");
  }

  @Test
  void notify_postsEachNotificationOfTheRehearsal_andTheLogSaysSent() throws Exception {
    java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
      Cli.Run run = Cli.offline().run("rehearse", "weaviate-first", "--notify", url);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
      assertThat(run.out())
          .contains("notify approve-dns-cutover by ferry \"gate-opened\": sent to worker default 1")
          .contains("notify soak by ferry \"soak-ending\": sent to worker default 1")
          .contains("\"point-of-no-return-passed\": sent to worker default 1")
          .contains("notify by ferry \"completed\": sent to worker default 1")
          .doesNotContain(url);
      assertThat(bodies)
          .anySatisfy(b -> assertThat(b).contains("\"event\":\"gate-opened\""))
          .anySatisfy(b -> assertThat(b).contains("\"event\":\"completed\""));
      assertThat(run.out().split("sent to worker default 1", -1).length - 1)
          .isEqualTo(bodies.size());
    } finally {
      server.stop(0);
    }
  }
}
