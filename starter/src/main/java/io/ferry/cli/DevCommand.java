package io.ferry.cli;

import io.ferry.activities.notify.NotifySettings;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.roadmap.Roadmap;
import io.ferry.roadmap.Roadmaps;
import io.ferry.runbook.FerrySearchAttributes;
import io.ferry.worker.ExitCodes;
import io.ferry.worker.FerryWorker;
import io.ferry.worker.NotifyOptions;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A local Temporal server with a worker on the simulated fleet, for trying the CLI for real. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an embedded Temporal server on --port (real time, no time skipping), registers"
          + " Ferry's search attributes and runs a worker on a simulated fleet, until Ctrl-C.",
      "From another terminal: ferry start -f PLAN, ferry status ID, ferry approve ID GATE."
    })
final class DevCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "7233",
      description = "Port the server listens on (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--seed",
      paramLabel = "PLAN",
      description =
          "Plans whose sources the simulated fleet starts with (default: every"
              + " roadmap's example plan). Repeatable.")
  List<Path> seeds = new ArrayList<>();

  @Option(
      names = "--quiet-ledger",
      description = "Do not print the simulated fleet's ledger changes.")
  boolean quietLedger;

  @Option(names = "--exit-after", hidden = true, converter = DurationConverter.class)
  Duration exitAfter;

  @Mixin Connection connection;

  @Mixin NotifyOptions notify;
  @ParentCommand FerryCli ferry;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String namespace = connection.namespace(ferry);
    String target = "localhost:" + port;
    TestServer.PortBoundTestServer server;
    try {
      server = TestServer.createPortBoundServer(port, true);
    } catch (RuntimeException e) {
      throw new CliFailure(
          ExitCodes.USAGE,
          "cannot listen on port "
              + port
              + " ("
              + FerryCli.oneLine(e)
              + "); pick another with --port",
          e);
    }
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(target)
                .validateAndBuildWithDefaults());
    WorkerFactory factory = null;
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch cleaned = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                cleaned.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "ferry-dev-shutdown");
    try {
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putAllSearchAttributes(FerrySearchAttributes.DEFINITIONS)
                  .build());
      SimulatedFleet fleet = new SimulatedFleet();
      if (seeds.isEmpty()) {
        for (Roadmap roadmap : Roadmaps.all()) {
          fleet.seed(PlanFiles.example(roadmap).plan());
        }
      } else {
        for (Path seed : seeds) {
          fleet.seed(PlanFiles.load(seed).plan());
        }
      }
      if (!quietLedger) {
        fleet
            .ledger()
            .addListener(
                c -> {
                  out.println("ledger: " + c.describe());
                  out.flush();
                });
      }
      WorkflowClient client =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
      factory = WorkerFactory.newInstance(client, FerryWorker.factoryOptions(fleet));
      NotifySettings notifySettings;
      try {
        // a simulated fleet posts to its own endpoints only, never to a plan's
        notifySettings = notify.settings(false);
      } catch (IllegalArgumentException e) {
        throw new CliFailure(ExitCodes.USAGE, e.getMessage());
      }
      FerryWorker.register(
          factory,
          FerryWorker.TASK_QUEUE,
          io.temporal.worker.WorkerOptions.getDefaultInstance(),
          fleet,
          notifySettings);
      factory.start();
      out.printf(
          "Temporal dev server on %s (namespace %s), worker on task queue %s with a simulated fleet.%n",
          target, namespace, FerryWorker.TASK_QUEUE);
      out.printf(
          "Search attributes registered: %s%n",
          String.join(", ", FerrySearchAttributes.DEFINITIONS.keySet()));
      out.println("From another terminal:");
      String addr = port == 7233 ? "" : " --address " + target;
      for (Roadmap roadmap : Roadmaps.all()) {
        String id = PlanFiles.example(roadmap).plan().workflowId();
        out.printf("  ferry start -f %s%s%n", roadmap.examplePlan().replaceFirst("^/", ""), addr);
        out.printf("  ferry status %s --watch%s%n", id, addr);
        List<String> gates = RoadmapsCommand.gates(roadmap);
        if (!gates.isEmpty()) {
          out.printf("  ferry approve %s %s%s%n", id, gates.get(0), addr);
        }
      }
      out.printf("  ferry list%s%n", addr);
      out.println("Ctrl-C stops the server (its state lives in memory only).");
      out.flush();
      Runtime.getRuntime().addShutdownHook(hook);
      if (exitAfter == null) {
        stopped.await();
      } else {
        stopped.await(exitAfter.toMillis(), TimeUnit.MILLISECONDS);
        Runtime.getRuntime().removeShutdownHook(hook);
      }
      return ExitCodes.OK;
    } finally {
      if (factory != null) {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
      }
      operator.shutdownNow();
      service.shutdownNow();
      server.close();
      cleaned.countDown();
    }
  }
}
