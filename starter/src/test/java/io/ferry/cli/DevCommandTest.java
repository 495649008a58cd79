package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.PortBoundTemporal;
import io.ferry.worker.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `ferry dev` serves the other commands over real gRPC, as a second terminal would use it. */
class DevCommandTest {
  @TempDir Path dir;

  @Test
  void devServer_acceptsStartStatusAndListFromAnotherClient() throws Exception {
    int port = PortBoundTemporal.freePort();
    String address = "localhost:" + port;
    StringWriter devOut = new StringWriter();
    AtomicInteger devExit = new AtomicInteger(-1);
    Thread dev =
        new Thread(
            () -> {
              CommandLine cmd = FerryCli.commandLine(new FerryCli());
              cmd.setOut(new PrintWriter(devOut, true));
              cmd.setErr(new PrintWriter(devOut, true));
              devExit.set(cmd.execute("dev", "--port", String.valueOf(port), "--quiet-ledger"));
            },
            "ferry-dev-under-test");
    dev.start();
    try {
      Path plan = dir.resolve("plan.yaml");
      Files.writeString(plan, ValidateCommandTest.example());
      Cli client = new Cli(TemporalClients.grpc());

      awaitReady(devOut, dev);
      Cli.Run start = client.run("start", "-f", plan.toString(), "--address", address);
      assertThat(start.exitCode()).as(start.toString()).isEqualTo(ExitCodes.OK);

      Cli.Run status =
          client.run("status", "weaviate-first-orchestra-prod", "--address", address, "-o", "json");
      assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.OK);
      assertThat(status.out()).contains("\"workflowId\" : \"weaviate-first-orchestra-prod\"");

      Cli.Run list = client.run("list", "--address", address);
      assertThat(list.exitCode()).as(list.toString()).isEqualTo(ExitCodes.OK);
      assertThat(list.out()).contains("weaviate-first-orchestra-prod");
    } finally {
      dev.interrupt();
      dev.join(20_000);
    }
    assertThat(devOut.toString()).contains("--address " + address);
  }

  /** Ready once it has registered the search attributes and started the worker. */
  private static void awaitReady(StringWriter devOut, Thread dev) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!devOut.toString().contains("From another terminal")) {
      if (System.nanoTime() > deadline || !dev.isAlive()) {
        throw new AssertionError("ferry dev did not come up:\n" + devOut);
      }
      Thread.sleep(50);
    }
  }
}
