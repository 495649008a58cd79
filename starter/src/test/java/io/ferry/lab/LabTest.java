package io.ferry.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.plan.Plan;
import io.ferry.plan.PlanLoader;
import io.ferry.reliability.SecretsLeakTest;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepState;
import io.ferry.runbook.StepStatus;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Every registered roadmap in the lab ({@code ./mvnw verify -Plab}, as root): per roadmap with a
 * lab scenario, a run as far as the lab lets it go (to completion, or to the step the scenario
 * names, then rolled back) with the hosts compared before and after, and a crash trial (the worker
 * SIGKILLed mid-step, another started). Prints what each step touched and "lab: N runs, N passed";
 * ends by checking nothing of the lab is left.
 */
@EnabledIfSystemProperty(named = "ferry.lab", matches = "true")
class LabTest {

  private static final Duration RUN_LIMIT = Duration.ofMinutes(8); // a loaded 2-core machine

  /** The roadmaps the lab knows how to host; a registered roadmap not here is "not covered". */
  private static final List<LabScenario> SCENARIOS =
      List.of(
          new WeaviateFirstLab(),
          new AppPlatformLab(),
          new K3sLab(),
          new StandardNodeLab(),
          new DoTransitionLab());

  private final List<String> failures = new ArrayList<>();

  /** Hosts the scenarios before this one built: not this scenario's to compare. */
  private java.util.Set<String> earlierHosts = java.util.Set.of();

  private final Map<String, String> table = new LinkedHashMap<>();
  private int runs;
  private int passed;

  @Test
  void everyRegisteredRoadmap_runsOnRealHosts_andLeavesNothingBehind() throws Exception {
    String why = Lab.unavailable();
    if (why != null) {
      System.out.println("lab: skipped: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    long start = System.nanoTime();
    List<String> notCovered = new ArrayList<>();
    List<String> leftovers;
    Lab lab = Lab.open();
    try (lab;
        LabTemporal temporal = new LabTemporal()) {
      Services services = new Services(lab);
      DigitalOceanStandIn cloud = new DigitalOceanStandIn(lab, services);
      try {
        for (Roadmap roadmap : Roadmaps.all()) {
          LabScenario scenario =
              SCENARIOS.stream()
                  .filter(s -> s.roadmap().equals(roadmap.id()))
                  .findFirst()
                  .orElse(null);
          if (scenario == null) {
            notCovered.add(roadmap.id());
            continue;
          }
          if (!selected(roadmap.id())) {
            System.out.printf("lab: %s: left out (-Dferry.lab.only)%n", roadmap.id());
            continue;
          }
          long built = System.nanoTime();
          try {
            earlierHosts =
                lab.hosts().stream()
                    .map(LabHost::name)
                    .collect(java.util.stream.Collectors.toSet());
            scenario.build(lab, services, cloud);
          } catch (RuntimeException e) {
            runs++;
            failures.add(roadmap.id() + ": the lab could not build its hosts: " + e);
            System.out.printf("lab: %s: FAILED to build its hosts: %s%n", roadmap.id(), e);
            e.printStackTrace(System.out);
            continue;
          }
          System.out.printf(
              "lab: %s: hosts and services up in %.1fs%n",
              roadmap.id(), (System.nanoTime() - built) / 1e9);
          if (stop(scenario)) {
            run(roadmap, scenario, lab, temporal, cloud, Mode.AS_FAR_AS_IT_GOES);
          } else {
            run(roadmap, scenario, lab, temporal, cloud, Mode.ROLLBACK);
            run(roadmap, scenario, lab, temporal, cloud, Mode.HAPPY);
          }
          run(roadmap, scenario, lab, temporal, cloud, Mode.CRASH);
        }
        assertThat(cloud.api.violations())
            .as("requests the DigitalOcean reference refuses")
            .isEmpty();
      } finally {
        cloud.close();
      }
    } finally {
      leftovers = lab.leftovers();
    }
    System.out.println("lab: what each step touched");
    table.forEach((step, what) -> System.out.printf("  %-45s %s%n", step, what));
    for (String id : notCovered) {
      System.out.printf("  %-45s not covered by the lab (no lab scenario yet)%n", id);
    }
    System.out.printf(
        "lab: %d runs, %d passed%s; %.0fs%n",
        runs,
        passed,
        notCovered.isEmpty() ? "" : "; not covered by the lab: " + String.join(", ", notCovered),
        (System.nanoTime() - start) / 1e9);
    System.out.println(
        "lab: left behind after teardown: "
            + (leftovers.isEmpty() ? "nothing (no process, namespace or file)" : leftovers));
    assertThat(failures).as("lab runs that failed").isEmpty();
    assertThat(leftovers).as("processes, namespaces or files the lab left").isEmpty();
  }

  /** -Dferry.lab.only=ID[,ID] runs only those roadmaps' scenarios (all when unset). */
  private static boolean selected(String roadmap) {
    String only = System.getProperty("ferry.lab.only", "").strip();
    return only.isEmpty() || List.of(only.split(",")).contains(roadmap);
  }

  private static boolean stop(LabScenario scenario) {
    return scenario.stop() != null;
  }

  /** The kinds of lab run. */
  enum Mode {
    /** To the step the lab cannot pass, then rolled back: hosts as before. */
    AS_FAR_AS_IT_GOES("lab-run", "run as far as the lab goes"),
    /** A failure of the world at a late step: rolled back, hosts as before. */
    ROLLBACK("lab-rollback", "rollback run"),
    /** To completion. */
    HAPPY("lab-happy", "happy run"),
    /** The worker SIGKILLed mid-step, another started: ends as an uninterrupted run would. */
    CRASH("lab-crash", "crash trial");

    final String planName;
    final String label;

    Mode(String planName, String label) {
      this.planName = planName;
      this.label = label;
    }
  }

  private void run(
      Roadmap roadmap,
      LabScenario scenario,
      Lab lab,
      LabTemporal temporal,
      DigitalOceanStandIn cloud,
      Mode mode) {
    runs++;
    String name = mode.planName;
    String label = roadmap.id() + " " + mode.label;
    LabScenario.Rollback rollback = mode == Mode.ROLLBACK ? scenario.rollback() : null;
    LabScenario.Stop stop = scenario.stop();
    boolean rolledBack = stop != null || rollback != null;
    long t0 = System.nanoTime();
    List<Process> workers = new ArrayList<>();
    try {
      String text = scenario.plan(name);
      Plan plan = new PlanLoader().load(name + ".yaml", text, roadmap.planType());
      Map<String, String> before =
          HostSnapshot.of(
              lab, earlierHosts, scenario.postgres(), scenario.redis(), cloud.api.inventory());
      int changesBefore = cloud.api.changes().size();
      if (rollback != null) {
        rollback.inject().accept(true);
      }
      temporal.soakStep = scenario.soakOnSkippedTime();
      workers.add(worker(lab, temporal, cloud, scenario, name + "-worker-1.log"));
      WorkflowStub stub = temporal.start(roadmap, plan);
      if (mode == Mode.CRASH) {
        RunbookStatus at =
            temporal.drive(stub, RUN_LIMIT, s -> scenario.crashStep().equals(s.currentStep()));
        Process first = workers.get(0);
        first.destroyForcibly(); // SIGKILL
        first.waitFor();
        System.out.printf(
            "lab: %s: SIGKILLed worker pid %d in %s (state %s); starting another%n",
            label, first.pid(), scenario.crashStep(), at.state());
        workers.add(worker(lab, temporal, cloud, scenario, name + "-worker-2.log"));
      }
      RunbookStatus end = temporal.drive(stub, RUN_LIMIT, s -> false);
      if (rollback != null) {
        StepStatus failed = end.step(rollback.step());
        assertThat(end.state()).as("%s: %s", label, end).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(failed.error())
            .as("%s: why %s failed", label, rollback.step())
            .contains(rollback.messagePart());
        System.out.printf(
            "lab: %s: %s failed as injected: %s; rolled back%n",
            label, rollback.step(), failed.error());
      } else if (stop != null) {
        StepStatus failed = end.step(stop.step());
        assertThat(end.state()).as("%s: %s", label, end).isEqualTo(RunbookState.ROLLED_BACK);
        assertThat(failed.error())
            .as("%s: why %s stopped", label, stop.step())
            .contains(stop.messagePart());
        System.out.printf(
            "lab: %s: stops at %s, as expected: %s (%s); rolled back%n",
            label, stop.step(), failed.error(), stop.because());
      } else {
        assertThat(end.state()).as("%s: %s", label, end).isEqualTo(RunbookState.COMPLETED);
      }
      if (scenario.soakOnSkippedTime() != null && end.state() == RunbookState.COMPLETED) {
        soakPassedOnSkippedTime(end, temporal, plan.workflowId(), label);
      }
      for (StepStatus s : end.steps()) {
        if (s.state() != StepState.PENDING && s.state() != StepState.NOT_NEEDED) {
          table.putIfAbsent(
              roadmap.id() + " " + s.id(),
              scenario.touched().getOrDefault(s.id(), "(operator or engine only)"));
        }
      }
      List<String> changes =
          List.copyOf(cloud.api.changes().subList(changesBefore, cloud.api.changes().size()));
      assertThat(
              changes.stream()
                  .filter(c -> java.util.Collections.frequency(changes, c) > 1)
                  .distinct()
                  .toList())
          .as("%s: changes asked of the cloud twice (something made twice)", label)
          .isEmpty();
      Map<String, String> after =
          HostSnapshot.of(
              lab, earlierHosts, scenario.postgres(), scenario.redis(), cloud.api.inventory());
      if (rolledBack) {
        assertThat(
                HostSnapshot.differences(before, after).stream()
                    .filter(d -> scenario.kept().stream().noneMatch(d::contains))
                    .toList())
            .as("%s: the hosts after the rollback against before the run", label)
            .isEmpty();
      }
      if (mode == Mode.CRASH) {
        // the killed worker's step, timed out by the server and run again by the new worker
        String second = workers.get(1).pid() + "@";
        assertThat(
                temporal.client.fetchHistory(plan.workflowId()).getEvents().stream()
                    .filter(e -> e.hasActivityTaskStartedEventAttributes())
                    .map(e -> e.getActivityTaskStartedEventAttributes())
                    .anyMatch(a -> a.getAttempt() > 1 && a.getIdentity().startsWith(second)))
            .as("%s: an attempt after the first, on the new worker", label)
            .isTrue();
      }
      noSecretIn(temporal.historyJson(plan.workflowId()), scenario, label);
      // rolled back or complete, a run leaves no secret's copy on the worker
      assertThat(scenario.leftAfterRun()).as("%s: left on the worker", label).isEmpty();
      System.out.printf(
          "lab: %s: passed in %.1fs; %d changes asked of the cloud, none twice%s%n",
          label,
          (System.nanoTime() - t0) / 1e9,
          changes.size(),
          rolledBack ? "; hosts back as they were (" + before.size() + " things compared)" : "");
      passed++;
    } catch (Throwable e) {
      failures.add(label + ": " + e.getMessage());
      System.out.printf("lab: %s: FAILED: %s (worker logs in %s)%n", label, e, lab.dir);
      dumpLogs(lab, name);
    } finally {
      workers.forEach(Lab::stop);
      if (rollback != null) {
        rollback.inject().accept(false);
      }
    }
  }

  /** The soak ran its whole length (days, on the server's skipped time) with real rounds. */
  private static void soakPassedOnSkippedTime(
      RunbookStatus end, LabTemporal temporal, String workflowId, String label) {
    StepStatus soak =
        end.steps().stream()
            .filter(s -> s.kind() == io.ferry.runbook.StepKind.SOAK)
            .findFirst()
            .orElseThrow();
    Duration lasted = Duration.between(soak.startedAt(), soak.endedAt());
    assertThat(lasted).as("%s: how long the soak lasted", label).isGreaterThan(Duration.ofDays(1));
    assertThat(soak.result()).as("%s: the soak's end", label).startsWith("soaked for");
    List<String> rounds =
        temporal.client.fetchHistory(workflowId).getEvents().stream()
            .filter(e -> e.hasActivityTaskCompletedEventAttributes())
            .map(e -> e.getActivityTaskCompletedEventAttributes().getResult().toString())
            .filter(r -> r.contains("cpuPercent"))
            .toList();
    assertThat(rounds).as("%s: the soak's sampling rounds", label).isNotEmpty();
    System.out.printf(
        "lab: %s: soak lasted %dd %dh on the test server's skipped time, %d sampling rounds%n",
        label, lasted.toDays(), lasted.toHoursPart(), rounds.size());
  }

  private static Process worker(
      Lab lab, LabTemporal temporal, DigitalOceanStandIn cloud, LabScenario scenario, String log) {
    return LabWorker.start(
        lab,
        temporal.port,
        cloud.token,
        cloud.trustStore,
        DigitalOceanStandIn.STORE_PASSWORD,
        scenario.workerOptions(),
        lab.dir.resolve(log));
  }

  private static void noSecretIn(String history, LabScenario scenario, String label)
      throws java.io.IOException {
    String searched = history + "\n" + SecretsLeakTest.decodedPayloads(history);
    List<String> hits = new ArrayList<>();
    for (Path secret : scenario.secrets()) {
      if (searched.contains(Services.read(secret))) {
        hits.add(secret.getFileName().toString());
      }
    }
    assertThat(hits).as("%s: secret values in the history", label).isEmpty();
    System.out.printf(
        "lab: %s: %d secrets searched in %d characters of history: 0 hits%n",
        label, scenario.secrets().size(), searched.length());
  }

  private static void dumpLogs(Lab lab, String name) {
    for (String log : List.of(name + "-worker-1.log", name + "-worker-2.log")) {
      Path p = lab.dir.resolve(log);
      if (java.nio.file.Files.exists(p)) {
        try {
          List<String> lines = java.nio.file.Files.readAllLines(p);
          System.out.println("---- " + log + " (last 40 lines)");
          lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
        } catch (java.io.IOException ignored) {
          // the failure itself is reported
        }
      }
    }
  }
}
