package io.ferry.roadmap.standardnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.plan.PlanInvalidException;
import io.ferry.plan.PlanLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class StandardNodePlanTest {

  static String example() {
    try (InputStream in =
        StandardNodePlanTest.class.getResourceAsStream("/plans/standard-node.example.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> problems(UnaryOperator<String> edit) {
    String text = edit.apply(example());
    assertThat(text).as("the edit changed the example").isNotEqualTo(example());
    PlanInvalidException e =
        catchThrowableOfType(
            PlanInvalidException.class,
            () -> new PlanLoader().load("plan", text, StandardNodePlan.class));
    assertThat(e).as("the plan should be invalid").isNotNull();
    return e.problems().stream().map(p -> p.field() + ": " + p.message()).toList();
  }

  @Test
  void examplePlan_isValid_withItsDefaults() {
    StandardNodePlan plan = new PlanLoader().load("example", example(), StandardNodePlan.class);

    assertThat(plan.workflowId()).isEqualTo("standard-node-aurora");
    assertThat(plan.replication().replicas())
        .extracting(StandardNodePlan.Replica::slotName)
        .containsExactly("runpod_tx", "vengeance", "aurora_local");
    assertThat(plan.shift().steps()).containsExactly(10, 25, 50, 100);
    assertThat(plan.decommissions()).isTrue();
  }

  @Test
  void anUnknownProbe_andALagIntervalPastItsTimeout_areRefusedNamingTheField() {
    List<String> problems =
        problems(
            t ->
                t.replace("probe: redis ", "probe: memcached ")
                    .replace("lagInterval: 15s", "lagInterval: 45m"));

    assertThat(problems)
        .anyMatch(p -> p.startsWith("newServices[3].probe: must be redis"))
        .anyMatch(p -> p.startsWith("replication.lagInterval: is longer than lagTimeout"));
  }

  @Test
  void aNewPortOnAnOldServicesPort_isRefusedNamingTheField() {
    assertThat(problems(t -> t.replace("port: 8003", "port: 8000")))
        .anyMatch(
            p ->
                p.startsWith(
                    "newServices[2].port: 8000 is the port of the old service backend-api"));
  }

  @Test
  void aReplicaOnThePrimarysHostPortAndDataDirectory_isRefused() {
    List<String> problems =
        problems(
            t ->
                t.replace(
                        "primary:                         # required; the existing PostgreSQL, which stays the primary\n  host: aurora-postgres-u44170.vm.elestio.app",
                        "primary:\n  host: 10.0.0.1")
                    .replace("port: 25432", "port: 5433")
                    .replace(
                        "primaryDataDir: /var/lib/postgresql/15/main",
                        "primaryDataDir: /var/lib/postgresql/15/standby"));

    assertThat(problems)
        .anyMatch(p -> p.startsWith("replication.replicas[2].port: 5433 is the primary's own port"))
        .anyMatch(
            p ->
                p.startsWith(
                    "replication.replicas[2].dataDir: /var/lib/postgresql/15/standby is the primary's own data directory"));
  }

  @Test
  void aSlotNamePostgresWouldRefuse_andADuplicate_areRefused() {
    List<String> problems =
        problems(
            t ->
                t.replace("slot: runpod_tx", "slot: Runpod-TX")
                    .replace("- name: aurora_local", "- name: vengeance"));

    assertThat(problems)
        .anyMatch(
            p -> p.startsWith("replication.replicas[0].slot: ") && p.contains("replication slot"))
        .anyMatch(p -> p.startsWith("replication.replicas[2].name: is used by another replica"));
  }

  @Test
  void shiftSteps_mustRiseTo100_andEdgeBackendsMustBeServices() {
    List<String> problems =
        problems(
            t ->
                t.replace("steps: [10, 25, 50, 100]", "steps: [50, 25, 90]")
                    .replace("newBackend: chat-backend", "newBackend: chat-ui"));

    assertThat(problems)
        .anyMatch(p -> p.startsWith("shift.steps[1]: must be larger than the step before (50)"))
        .anyMatch(p -> p.startsWith("shift.steps: must end at 100"))
        .anyMatch(p -> p.startsWith("edge.newBackend: names no service of newServices: chat-ui"));
  }
}
