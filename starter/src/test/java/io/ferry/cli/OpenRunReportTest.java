package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run still open: the report asks its status query; and a run started on its own queue. */
class OpenRunReportTest {
  static final String ID = "weaviate-first-orchestra-prod";
  static final String QUEUE = "prod-eu";

  @TempDir Path dir;
  TestWorkflowEnvironment env;
  Cli cli;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    env = TestWorkflowEnvironment.newInstance();
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(QUEUE);
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
  void startOnAnEnvironmentsQueue_thenReportOfTheOpenRun_showsItsLiveStatus() throws Exception {
    Cli.Run start = cli.run("start", "-f", plan.toString(), "--task-queue", QUEUE);
    assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCodes.OK);
    String queue =
        env.getWorkflowClient()
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(ID))
                    .build())
            .getExecutionConfig()
            .getTaskQueue()
            .getName();
    assertThat(queue).isEqualTo(QUEUE);

    Path page = dir.resolve("open.html");
    Cli.Run report = cli.run("report", ID, "-o", page.toString());

    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCodes.OK);
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html).contains("running, run ").contains("still running");
  }

  @Test
  void reportOfAnUnknownMigration_isNotFound() {
    Cli.Run report = cli.run("report", "no-such-migration", "-o", dir.resolve("x.html").toString());

    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(dir.resolve("x.html")).doesNotExist();
  }
}
