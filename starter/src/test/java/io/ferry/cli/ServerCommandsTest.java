package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** start, status, list and the operator controls against an in-process Temporal server. */
class ServerCommandsTest {
  static final String ID = "weaviate-first-orchestra-prod";

  @TempDir Path dir;
  TestWorkflowEnvironment env;
  Cli cli;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    env = TestWorkflowEnvironment.newInstance();
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(StartCommand.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(FakeWeaviateFirstWorkflow.class);
    env.start();
    cli = new Cli((address, namespace) -> env.getWorkflowClient());
    plan = dir.resolve("plan.yaml");
    Files.writeString(plan, ValidateCommandTest.example());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void start_printsTheWorkflowIdAndRun() {
    Cli.Run run = cli.run("start", "-f", plan.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("started " + ID + " (run ");
  }

  @Test
  void startTwice_isAlreadyRunningAndNamesTheRunningWorkflow() {
    cli.run("start", "-f", plan.toString());

    Cli.Run second = cli.run("start", "-f", plan.toString());

    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(second.err()).contains(ID).contains("run ");
    assertThat(second.err()).doesNotContain("\tat ");
  }

  @Test
  void startOfAnInvalidPlan_startsNothing() throws Exception {
    Files.writeString(plan, ValidateCommandTest.example().replace("name: orchestra-prod", ""));

    Cli.Run run = cli.run("start", "-f", plan.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_PLAN);
    assertThat(cli.run("list").out()).contains("no migrations");
  }

  @Test
  void approveOfAnUnknownGate_isRefusedWithTheWorkflowsMessage() {
    cli.run("start", "-f", plan.toString());

    Cli.Run run = cli.run("approve", ID, "no-such-gate", "--by", "alice");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err())
        .contains("no gate 'no-such-gate' is pending; pending gates: approve-dns-cutover");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void approveOfThePendingGate_printsTheReplyAndTheStateAfterAndIsLogged() {
    cli.run("start", "-f", plan.toString());

    Cli.Run run =
        cli.run("approve", ID, "approve-dns-cutover", "--by", "alice", "-m", "looks good");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("approved by alice");
    assertThat(run.out()).as("the state after the approval, not before").contains("now completed");
    Cli.Run status = cli.run("status", ID);
    assertThat(status.out())
        .contains("approve approve-dns-cutover by alice \"looks good\": accepted");
  }

  @Test
  void operatorOnAnUnknownMigration_isNotFound() {
    Cli.Run run = cli.run("pause", "weaviate-first-nobody");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void status_rendersStepsAndPendingGate() {
    cli.run("start", "-f", plan.toString());

    Cli.Run run = cli.run("status", "-r", "weaviate-first", "-n", "orchestra-prod", "--all");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("state: awaiting-approval")
        .contains("create-vector-droplet")
        .contains("needs you: gate approve-dns-cutover, pending since")
        .contains("ferry approve " + ID + " approve-dns-cutover");
  }

  @Test
  void statusJson_parsesAsTheStatusRecord() throws Exception {
    cli.run("start", "-f", plan.toString());

    Cli.Run run = cli.run("status", ID, "--output", "json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(json.get("workflowId").asText()).isEqualTo(ID);
    assertThat(json.get("state").asText()).isEqualTo("awaiting-approval");
    assertThat(json.get("steps").size()).isGreaterThan(20);
  }

  @Test
  void statusOfAnUnknownMigration_isNotFound() {
    Cli.Run run = cli.run("status", "weaviate-first-nobody");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).contains("weaviate-first-nobody");
  }

  @Test
  void statusWithoutAMigration_isAUsageError() {
    Cli.Run run = cli.run("status");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void statusWatch_endsWhenTheMigrationEndsAndSaysHow() {
    cli.run("start", "-f", plan.toString());
    cli.run("reject", ID, "approve-dns-cutover");

    Cli.Run run = cli.run("status", ID, "--watch", "--interval", "10ms");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.MIGRATION_NOT_COMPLETED);
    assertThat(run.out()).contains("state: rolled-back");
  }

  @Test
  void list_showsTheMigrationOnTheTestServer() throws Exception {
    cli.run("start", "-f", plan.toString());

    Cli.Run text = cli.run("list");
    Cli.Run json = cli.run("list", "--output", "json");

    assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.OK);
    assertThat(text.out()).contains(ID).contains("weaviate-first").contains("running");
    JsonNode rows = Json.MAPPER.readTree(json.out());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("workflowType").asText()).isEqualTo("WeaviateFirst");
  }
}
