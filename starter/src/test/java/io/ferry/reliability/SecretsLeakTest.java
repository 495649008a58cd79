package io.ferry.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.activities.Fleet;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Plan;
import io.ferry.roadmap.Roadmap;
import io.ferry.runbook.RunbookState;
import io.ferry.runbook.RunbookStatus;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every roadmap's example plan, with each secret reference pointing at an environment variable that
 * holds a distinctive value, run to the end and through a rollback: the values are resolved by the
 * fleet, yet none appears anywhere in the workflow's history, payloads decoded.
 *
 * <p>The fleet is a parameter: a run on real adapters' stand-ins is one more {@link FleetMaker}.
 */
public class SecretsLeakTest {

  /** Makes the fleet a run uses, given the plan and the resolver holding the distinctive values. */
  interface FleetMaker extends BiFunction<Plan, SecretResolver, Fleet> {}

  static final FleetMaker SIMULATED =
      (plan, secrets) -> {
        SimulatedFleet fleet = new SimulatedFleet(FaultPlan.none(), secrets);
        Examples.seed(fleet, plan);
        return fleet;
      };

  static final FleetMaker SIMULATED_FAILING_LATE =
      (plan, secrets) -> {
        SimulatedFleet fleet = new SimulatedFleet(failLate(plan), secrets);
        Examples.seed(fleet, plan);
        return fleet;
      };

  private static final Pattern REF =
      Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/[A-Za-z0-9._+@=/-]+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> everyRoadmap_secretValuesNeverEnterHistory() {
    return Examples.roadmaps().stream()
        .flatMap(
            r ->
                Stream.of(
                    DynamicTest.dynamicTest(
                        r.id() + " on the simulated fleet, to the end",
                        () -> noLeak(r, SIMULATED, RunbookState.COMPLETED)),
                    DynamicTest.dynamicTest(
                        r.id() + " on the simulated fleet, rolled back",
                        () -> noLeak(r, SIMULATED_FAILING_LATE, RunbookState.ROLLED_BACK))));
  }

  @AfterAll
  static void printCounts() {
    System.out.printf("secrets: %d runs, %d passed with zero hits%n", RUN.get(), PASSED.get());
  }

  static void noLeak(Roadmap roadmap, FleetMaker fleetMaker, RunbookState expectedEnd)
      throws IOException {
    RUN.incrementAndGet();
    // every reference becomes an environment variable with a value no code would write by chance
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m = REF.matcher(Examples.planText(roadmap));
    StringBuilder text = new StringBuilder();
    while (m.find()) {
      String variable = "FERRY_LEAK_CHECK_" + (values.size() + 1);
      values.putIfAbsent(
          variable, "s3cr3t-" + roadmap.id() + "-" + variable.toLowerCase() + "-Zq7");
      m.appendReplacement(text, "env:" + variable);
    }
    m.appendTail(text);
    assertThat(values).as("%s's example plan has secret references", roadmap.id()).isNotEmpty();
    Set<String> resolved = ConcurrentHashMap.newKeySet();
    SecretResolver secrets =
        SecretResolver.withEnvironment(
            name -> {
              resolved.add(name);
              return values.get(name);
            });
    Plan plan = Examples.plan(roadmap, text.toString());
    String history;
    try (RoadmapRun run = new RoadmapRun(roadmap, plan, fleetMaker.apply(plan, secrets))) {
      run.start();
      RunbookStatus end = run.driveToEnd();
      assertThat(end.state()).as("%s", end).isEqualTo(expectedEnd);
      history = run.historyJson();
    }
    assertThat(resolved)
        .as("secrets the fleet resolved (else the check proves nothing)")
        .isNotEmpty();
    String searched = history + "\n" + decodedPayloads(history);
    // the search must see inside payloads: the plan's references are there, base64 in the raw JSON
    String aReference = "env:" + resolved.iterator().next();
    assertThat(searched).contains(aReference);
    assertThat(history).doesNotContain(aReference);
    List<String> hits = new ArrayList<>();
    for (String name : resolved) {
      if (searched.contains(values.get(name))) {
        hits.add(name + " (" + values.get(name) + ")");
      }
    }
    assertThat(hits).as("secret values found in the history of %s", roadmap.id()).isEmpty();
    System.out.printf(
        "%s: %d secret references resolved %s, searched %d characters of history: 0 hits%n",
        roadmap.id(), resolved.size(), resolved, searched.length());
    PASSED.incrementAndGet();
  }

  /** Payload data is base64 in history JSON: decode every {@code data} field so a leak shows. */
  public static String decodedPayloads(String historyJson) throws IOException {
    StringBuilder out = new StringBuilder();
    collect(JSON.readTree(historyJson), out);
    return out.toString();
  }

  private static void collect(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("data") && e.getValue().isTextual()) {
                  try {
                    out.append(
                            new String(
                                Base64.getDecoder().decode(e.getValue().asText()),
                                StandardCharsets.UTF_8))
                        .append('\n');
                  } catch (IllegalArgumentException notBase64) {
                    out.append(e.getValue().asText()).append('\n');
                  }
                } else {
                  collect(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }

  /** Fails the last effect step before the point of no return, so every undo runs too. */
  private static FaultPlan failLate(Plan plan) {
    Roadmap roadmap =
        Examples.roadmaps().stream()
            .filter(r -> r.id().equals(plan.roadmap()))
            .findFirst()
            .orElseThrow();
    List<StepDef> before =
        roadmap.steps().subList(0, Examples.pointOfNoReturn(roadmap)).stream()
            .filter(s -> s.kind() == StepKind.EFFECT && !s.conditional())
            .toList();
    return FaultPlan.failAt(before.get(before.size() - 1).id());
  }
}
