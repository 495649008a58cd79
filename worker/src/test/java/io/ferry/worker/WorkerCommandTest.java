package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cli = new CommandLine(new WorkerCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void realFleet_withoutItsDigitalOceanToken_isRefusedNamingTheReference() {
    int code =
        execute(
            "--fleet", "real", "--metrics-port", "0", "--do-token", "env:FERRY_TEST_NO_SUCH_VAR");

    assertThat(code).isEqualTo(ExitCodes.FLEET_UNAVAILABLE).isNotZero();
    assertThat(err.toString())
        .contains("the real fleet cannot start")
        .contains("env:FERRY_TEST_NO_SUCH_VAR", "FERRY_TEST_NO_SUCH_VAR is not set on the worker")
        .contains("--do-token");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void realFleet_withAMalformedTokenReference_isAUsageError() {
    int code = execute("--fleet", "real", "--metrics-port", "0", "--do-token", "dop_v1_abc");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--do-token", "is not env:NAME or file:/absolute/path");
    assertThat(err.toString()).doesNotContain("dop_v1_abc");
  }

  @Test
  void help_listsTheOptionsAndExitCodes() {
    int code = execute("--help");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("--address", "--namespace", "--task-queue", "--fleet", "TEMPORAL_ADDRESS")
        .contains("Exit codes:", "10   FLEET_UNAVAILABLE: the real fleet cannot start");
  }

  @Test
  void missingFleet_isAUsageError() {
    int code = execute();

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--fleet=<fleet>'");
  }

  @Test
  void unknownFleet_isAUsageErrorNamingTheChoices() {
    int code = execute("--fleet", "mock");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("sim", "real");
  }

  @Test
  void unreachableTemporal_exitsWithConnectFailed() {
    int code = execute("--fleet", "sim", "--address", "127.0.0.1:1", "--connect-patience", "0s");

    assertThat(code).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).contains("cannot reach Temporal at 127.0.0.1:1");
  }

  @Test
  void noWorkflowCache_asksForNoStickyQueue_soAReplacementWorkerGetsEveryTask() {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command).parseArgs("--fleet", "sim", "--workflow-cache", "0");

    // zero is how the SDK leaves sticky attributes out of its workflow task replies
    assertThat(command.workerOptions().getStickyQueueScheduleToStartTimeout()).isZero();
  }

  @Test
  void withTheDefaultCache_stickyExecutionStaysOn() {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command).parseArgs("--fleet", "sim");

    // unset: Temporal's default (5 s) applies
    assertThat(command.workerOptions().getStickyQueueScheduleToStartTimeout()).isNull();
  }
}
