package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When things go wrong the CLI says what is true and what to run, within its deadline: no worker
 * answering, a migration that has ended, a namespace nobody works in.
 */
class OperatorTrustTest {
  static final String ID = ServerCommandsTest.ID;
  static final String GATE = FakeWeaviateFirstWorkflow.GATE;

  @TempDir Path dir;
  TestWorkflowEnvironment env;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    env = TestWorkflowEnvironment.newInstance();
    FerrySearchAttributes.DEFINITIONS.forEach(env::registerSearchAttribute);
    plan = dir.resolve("plan.yaml");
    Files.writeString(plan, ValidateCommandTest.example());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  /** Clients in the namespace the command names, as the real CLI makes them. */
  Cli cli() {
    return new Cli(
        (address, namespace) ->
            WorkflowClient.newInstance(
                env.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build()));
  }

  void withWorker() {
    Worker worker = env.newWorker(StartCommand.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(FakeWeaviateFirstWorkflow.class);
    env.start();
  }

  /** A migration started straight on the server, with no worker to run it. */
  void startedWithoutWorker() throws Exception {
    env.start();
    PlanFiles.Loaded loaded = PlanFiles.load(plan);
    env.getWorkflowClient()
        .newUntypedWorkflowStub(
            loaded.roadmap().workflowType(),
            WorkflowOptions.newBuilder()
                .setWorkflowId(ID)
                .setTaskQueue(StartCommand.TASK_QUEUE)
                .build())
        .start(loaded.plan());
  }

  @Test
  void rollbackWithNoWorker_saysSoWithinTheDeadlineAndShowsWhatTheServerKnows() throws Exception {
    startedWithoutWorker();

    long started = System.nanoTime();
    Cli.Run run = cli().run("rollback", ID, "--wait", "1s");
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_WORKER);
    assertThat(tookMs).isLessThan(6_000);
    assertThat(run.err())
        .contains("rollback " + ID + " not confirmed")
        .contains("no worker answered within 1s")
        .contains("execution: running")
        .contains("last event: WorkflowTaskScheduled at ")
        .contains("ferry worker --fleet real");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void statusWithNoWorker_isNotUnreachableButNoWorkerWithTheServersRecord() throws Exception {
    startedWithoutWorker();

    Cli.Run run = cli().run("status", ID, "--wait", "1s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_WORKER);
    assertThat(run.err())
        .doesNotContain("cannot reach")
        .contains("no status for " + ID)
        .contains("what the server knows about " + ID)
        .contains("state: -   phase: -");
  }

  @Test
  void startWithNoWorker_terminatesTheRunBeforeAnythingRanAndSaysSo() {
    env.start();

    Cli.Run run = cli().run("start", "-f", plan.toString(), "--wait", "1s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_WORKER);
    assertThat(run.err()).contains("terminated it before anything ran");
    assertThat(env.getWorkflowClient().newUntypedWorkflowStub(ID).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  @Test
  void controlsOnAnEndedMigration_sayHowAndWhenItEndedAndAreRefused() {
    withWorker();
    Cli cli = cli();
    cli.run("start", "-f", plan.toString());
    cli.run("reject", ID, GATE);

    for (String[] args : new String[][] {{"rollback", ID}, {"pause", ID}, {"approve", ID, GATE}}) {
      Cli.Run run = cli.run(args);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
      assertThat(run.err())
          .contains(args[0] + " refused: migration " + ID + " has ended: rolled-back at ")
          .contains("ferry status " + ID)
          .doesNotContain("no migration");
    }
  }

  @Test
  void listOfARolledBackMigration_saysRolledBackOnly() {
    withWorker();
    Cli cli = cli();
    cli.run("start", "-f", plan.toString());
    cli.run("reject", ID, GATE);

    Cli.Run run = cli.run("list");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    String row = run.out().lines().filter(l -> l.startsWith(ID)).findFirst().orElseThrow();
    assertThat(row).contains("rolled-back").contains("ended ").doesNotContain("completed");
    assertThat(cli.run("list", "-o", "json").out()).contains("\"state\" : \"rolled-back\"");
  }

  @Test
  void startOfACompletedMigration_isRefusedUnlessAgainAndTheRerunIsRecorded() {
    withWorker();
    Cli cli = cli();
    cli.run("start", "-f", plan.toString());
    cli.run("approve", ID, GATE);

    Cli.Run refused = cli.run("start", "-f", plan.toString());
    Cli.Run again = cli.run("start", "-f", plan.toString(), "--again");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err())
        .contains("has ended: completed at ")
        .contains("--again")
        .contains("re-creates and destroys infrastructure");
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("deliberate re-run (--again)").contains("started " + ID);
    io.temporal.client.WorkflowExecutionDescription rerun =
        env.getWorkflowClient().newUntypedWorkflowStub(ID).describe();
    String memo = rerun.getMemo(StartCommand.RERUN_MEMO, String.class, String.class);
    assertThat(memo).contains("completed at").contains("--again by ");
  }

  @Test
  void startAfterARollback_needsNoAgain() {
    withWorker();
    Cli cli = cli();
    cli.run("start", "-f", plan.toString());
    cli.run("reject", ID, GATE);

    Cli.Run run = cli.run("start", "-f", plan.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void listInANamespaceWithoutMigrations_showsNoneOfAnotherNamespaces() {
    withWorker();
    Cli cli = cli();
    cli.run("start", "-f", plan.toString());

    Cli.Run run = cli.run("list", "--namespace", "nope");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("no migrations in namespace nope").doesNotContain(ID);
  }

  @Test
  void startInANamespaceNoWorkerServes_leavesNothingRunning() {
    withWorker();

    Cli.Run run = cli().run("start", "-f", plan.toString(), "--namespace", "nope", "--wait", "1s");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_WORKER);
    assertThat(cli().run("list").out()).doesNotContain(ID);
  }

  @Test
  void statusOfAnUnknownRoadmap_isAUsageErrorNamingTheRoadmaps() {
    Cli.Run run = Cli.offline().run("status", "-r", "weaviate-frist", "-n", "x");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("unknown roadmap 'weaviate-frist'").contains("weaviate-first");
  }

  @Test
  void aNamespaceTheServerDoesNotServe_isRefusedBeforeAnythingIsSent() throws Exception {
    String name = "ferry-no-namespace-" + System.nanoTime();
    io.grpc.Server server =
        io.grpc.inprocess.InProcessServerBuilder.forName(name)
            .addService(
                new io.temporal.api.workflowservice.v1.WorkflowServiceGrpc
                    .WorkflowServiceImplBase() {
                  @Override
                  public void getSystemInfo(
                      io.temporal.api.workflowservice.v1.GetSystemInfoRequest request,
                      io.grpc.stub.StreamObserver<
                              io.temporal.api.workflowservice.v1.GetSystemInfoResponse>
                          response) {
                    response.onNext(
                        io.temporal.api.workflowservice.v1.GetSystemInfoResponse
                            .getDefaultInstance());
                    response.onCompleted();
                  }

                  @Override
                  public void describeNamespace(
                      io.temporal.api.workflowservice.v1.DescribeNamespaceRequest request,
                      io.grpc.stub.StreamObserver<
                              io.temporal.api.workflowservice.v1.DescribeNamespaceResponse>
                          response) {
                    response.onError(
                        io.grpc.Status.NOT_FOUND
                            .withDescription(
                                "Namespace " + request.getNamespace() + " is not found.")
                            .asRuntimeException());
                  }
                })
            .build()
            .start();
    io.grpc.ManagedChannel channel =
        io.grpc.inprocess.InProcessChannelBuilder.forName(name).build();
    try {
      Cli cli =
          new Cli(
              (address, namespace) ->
                  WorkflowClient.newInstance(
                      io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
                          io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                              .setChannel(channel)
                              .build()),
                      WorkflowClientOptions.newBuilder().setNamespace(namespace).build()));

      for (String[] args :
          new String[][] {
            {"list", "--namespace", "nope"},
            {"status", ID, "--namespace", "nope"},
            {"rollback", ID, "--namespace", "nope"},
            {"start", "-f", plan.toString(), "--namespace", "nope"}
          }) {
        Cli.Run run = cli.run(args);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_NOT_SET_UP);
        assertThat(run.err()).contains("does not serve namespace nope").contains("--namespace");
      }
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void startOnAServerWithoutFerrysSearchAttributes_saysHowToRegisterThem() {
    try (TestWorkflowEnvironment bare = TestWorkflowEnvironment.newInstance()) {
      Worker worker = bare.newWorker(StartCommand.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(FakeWeaviateFirstWorkflow.class);
      bare.start();

      Cli.Run run =
          new Cli((address, namespace) -> bare.getWorkflowClient())
              .run("start", "-f", plan.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER_NOT_SET_UP);
      assertThat(run.err())
          .contains("does not know Ferry's search attributes")
          .contains("temporal operator search-attribute create");
    }
  }
}
