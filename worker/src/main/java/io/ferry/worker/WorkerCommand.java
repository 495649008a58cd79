package io.ferry.worker;

import io.ferry.activities.Fleet;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.notify.NotifySettings;
import io.ferry.activities.sim.FaultPlan;
import io.ferry.activities.sim.PortJournal;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.plan.Durations;
import io.ferry.plan.PlanLoader;
import io.ferry.plan.SecretRef;
import io.ferry.roadmap.Roadmaps;
import io.ferry.worker.connect.ConnectionOptions;
import io.ferry.worker.connect.FirstConnection;
import io.ferry.worker.connect.TemporalEndpoint;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry-worker}: runs every roadmap's workflow and one fleet's activities on a task queue.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    version = "ferry worker 0.1.0",
    description =
        "Runs Ferry's workflows and activities on a Temporal task queue until SIGTERM or SIGINT.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:OK: stopped cleanly, also on Ctrl-C or SIGTERM once running steps have finished or"
          + " been handed back to the server",
      "2:USAGE: unknown option, missing --fleet, a connection setting that cannot be used",
      "8:UNAVAILABLE: cannot reach the Temporal frontend",
      "10:FLEET_UNAVAILABLE: the real fleet cannot start (its DigitalOcean token is missing)"
    })
public class WorkerCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  /** Which adapters the activities use. */
  public enum FleetChoice {
    sim,
    real
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--address",
      description =
          "Temporal frontend host:port (env TEMPORAL_ADDRESS, or the profile; default:"
              + " localhost:7233)")
  String address;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (env TEMPORAL_NAMESPACE, or the profile; default: default)")
  String namespace;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Option(
      names = "--connect-patience",
      paramLabel = "DURATION",
      defaultValue = "${env:FERRY_CONNECT_PATIENCE:-2m}",
      description =
          "how long to keep trying an unreachable frontend at start-up (a server still starting,"
              + " a loaded machine), e.g. 30s or 5m; 0s tries once; TLS failures end at once"
              + " (env FERRY_CONNECT_PATIENCE; default: ${DEFAULT-VALUE})")
  String connectPatience;

  @Option(
      names = "--task-queue",
      defaultValue = "${env:FERRY_TASK_QUEUE:-" + FerryWorker.TASK_QUEUE + "}",
      description =
          "task queue to poll: workers on one queue share its migrations; a worker per"
              + " environment on its own queue runs only that environment's (env FERRY_TASK_QUEUE;"
              + " default: ${DEFAULT-VALUE})")
  String taskQueue;

  @Option(
      names = "--metrics-port",
      defaultValue = "${env:FERRY_METRICS_PORT:-9464}",
      description =
          "serve Prometheus metrics at http://host:PORT/metrics; 0 turns them off"
              + " (env FERRY_METRICS_PORT; default: ${DEFAULT-VALUE})")
  int metricsPort;

  @Option(
      names = "--fleet",
      required = true,
      description =
          "what activities act on: sim (the simulated fleet, for rehearsals) or real (SSH,"
              + " DigitalOcean, PostgreSQL, Weaviate, Redis-protocol stores, MiniLM)")
  FleetChoice fleet;

  @Option(
      names = "--workflow-cache",
      paramLabel = "N",
      description =
          "workflows kept in memory between tasks (default: Temporal's); 0 turns sticky"
              + " execution off, so a replacement worker takes over at once after a crash")
  Integer workflowCache;

  @Option(
      names = "--sim-state",
      paramLabel = "FILE",
      description =
          "keep the simulated fleet's world in FILE (a journal of its port calls), so a worker"
              + " started after a crash continues where the last one stopped")
  Path simState;

  @Option(
      names = "--seed",
      paramLabel = "PLAN",
      description =
          "plans whose sources the simulated fleet starts with (the app node, the stores,"
              + " the DNS records); repeatable")
  List<Path> seeds = new ArrayList<>();

  @Option(
      names = "--do-token",
      paramLabel = "REF",
      defaultValue = "${env:FERRY_DO_TOKEN:-env:DIGITALOCEAN_TOKEN}",
      description =
          "real fleet: reference to the DigitalOcean API token, env:NAME or file:/path"
              + " (env FERRY_DO_TOKEN; default: ${DEFAULT-VALUE})")
  String doToken;

  @Option(
      names = "--backup-root",
      paramLabel = "DIR",
      defaultValue = "${env:FERRY_BACKUP_ROOT:-/var/lib/ferry/backups}",
      description =
          "real fleet: where backups named by relative paths are written"
              + " (env FERRY_BACKUP_ROOT; default: ${DEFAULT-VALUE})")
  Path backupRoot;

  @Mixin NotifyOptions notify;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = "${env:FERRY_STATE_DIR:-/var/lib/ferry/state}",
      description =
          "real fleet: the worker's own state, such as a cluster's join token and kubeconfig"
              + " (0600 files; env FERRY_STATE_DIR; default: ${DEFAULT-VALUE})")
  Path stateDir;

  @Option(
      names = "--redis-ca-file",
      paramLabel = "PEM",
      description =
          "real fleet: a CA certificate trusted for rediss:// stores besides the JDK's"
              + " (a managed Valkey's CA)")
  Path redisCaFile;

  /** The real fleet; a token that cannot be resolved is reported, naming the reference. */
  private RealFleet realFleet() {
    SecretRef token = SecretRef.of(doToken);
    if (!token.wellFormed()) {
      // never echoed: it may be the token itself
      throw new IllegalArgumentException(
          "--do-token is not env:NAME or file:/absolute/path; name where the token is, never the"
              + " token itself");
    }
    if (redisCaFile != null && !Files.isReadable(redisCaFile)) {
      throw new IllegalArgumentException("--redis-ca-file " + redisCaFile + " is not readable");
    }
    return RealFleet.connect(
        new RealFleet.Settings(token, null, backupRoot, redisCaFile, stateDir),
        SecretResolver.fromWorker());
  }

  /** The simulated fleet, seeded, and with the journal of earlier workers replayed. */
  private SimulatedFleet simulatedFleet() {
    PortJournal journal = simState == null ? null : PortJournal.at(simState);
    SimulatedFleet sim = new SimulatedFleet(FaultPlan.none(), SecretResolver.standIns(), journal);
    PlanLoader loader = new PlanLoader();
    for (Path seed : seeds) {
      String text;
      try {
        text = Files.readString(seed, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --seed " + seed + ": " + e, e);
      }
      String roadmap = loader.roadmapOf(seed.toString(), text);
      sim.seed(loader.load(seed.toString(), text, Roadmaps.require(roadmap).planType()));
    }
    int replayed = sim.resume();
    if (simState != null) {
      log.info("simulated fleet state in {}: {} port calls replayed", simState, replayed);
    }
    return sim;
  }

  /**
   * With no workflow cache there is nothing for a sticky queue to be sticky to; the SDK would still
   * ask for one, and a task routed to a dead worker's sticky queue waits out its timeout there.
   */
  WorkerOptions workerOptions() {
    WorkerOptions.Builder options = WorkerOptions.newBuilder();
    if (workflowCache != null && workflowCache == 0) {
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    return options.build();
  }

  /** How long running activities may take to finish when the worker is asked to stop. */
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /**
   * Stops polling, lets running activities finish for {@link #STOP_GRACE}, then hands back the
   * rest: their heartbeats fail with a worker-shutdown error and their threads are interrupted, so
   * the server retries them (idempotent, resuming from their last heartbeat) on another worker.
   */
  static void stopHandingBack(WorkerFactory factory, PrintWriter err) {
    log.info("stopping: no new tasks; running activities get {} to finish", STOP_GRACE);
    factory.shutdown();
    factory.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.info("handing back the activities still running");
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
    err.println(
        "ferry worker: stopped" + (factory.isTerminated() ? "" : " (some tasks did not end)"));
    err.flush();
  }

  /** Ctrl-C (SIGINT) and SIGTERM ask for a graceful stop instead of ending the JVM at once. */
  private static void onStopSignal(CountDownLatch stopRequested) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stopRequested.countDown());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        log.debug(
            "cannot handle SIG{} here ({}); the shutdown hook stops the worker",
            name,
            e.toString());
      }
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Fleet chosen;
    NotifySettings notifySettings;
    try {
      notifySettings = notify.settings(true);
      chosen = fleet == FleetChoice.real ? realFleet() : simulatedFleet();
    } catch (io.temporal.failure.ApplicationFailure e) {
      err.println(
          "ferry worker: the real fleet cannot start: "
              + e.getOriginalMessage()
              + "; set it, or name another reference with --do-token");
      err.flush();
      return ExitCodes.FLEET_UNAVAILABLE;
    } catch (RuntimeException e) {
      err.println("ferry worker: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    WorkerMetrics metrics;
    try {
      metrics = metricsPort == 0 ? null : WorkerMetrics.serve(metricsPort);
    } catch (java.io.UncheckedIOException e) {
      err.println(
          "ferry worker: "
              + e.getMessage()
              + " ("
              + e.getCause().getMessage()
              + "); choose another with --metrics-port, or 0 to turn metrics off");
      err.flush();
      return ExitCodes.USAGE;
    }
    TemporalEndpoint endpoint;
    WorkflowServiceStubsOptions.Builder stubs;
    Duration patience;
    try {
      patience = patience(connectPatience);
      endpoint = connection.resolve(address, namespace);
      stubs = endpoint.stubsOptions();
    } catch (IllegalArgumentException e) {
      if (metrics != null) {
        metrics.close();
      }
      err.println("ferry worker: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    if (metrics != null) {
      stubs.setMetricsScope(metrics.scope());
    }
    WorkflowServiceStubs service;
    try {
      service = FirstConnection.open(endpoint, stubs.build(), patience, err);
    } catch (RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      err.println(
          "ferry worker: "
              + endpoint
                  .tlsFailure(e)
                  .orElse(
                      "cannot reach Temporal at " + endpoint.describe() + ": " + e.getMessage()));
      err.flush();
      return ExitCodes.UNAVAILABLE;
    }
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(endpoint.namespace()).build());
    WorkerFactoryOptions.Builder options =
        WorkerFactoryOptions.newBuilder(FerryWorker.factoryOptions(chosen));
    if (workflowCache != null) {
      options.setWorkflowCacheSize(workflowCache);
    }
    WorkerFactory factory = WorkerFactory.newInstance(client, options.build());
    FerryWorker.register(factory, taskQueue, workerOptions(), chosen, notifySettings);

    AtomicBoolean stoppedOnce = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (!stoppedOnce.compareAndSet(false, true)) {
            return;
          }
          stopHandingBack(factory, err);
          if (chosen instanceof RealFleet real) {
            real.close();
          }
          service.shutdown();
          if (metrics != null) {
            metrics.close();
          }
        };
    // Ctrl-C and SIGTERM end the wait below, so the stop is graceful and the exit code 0; the hook
    // covers any other way the JVM is asked to exit.
    CountDownLatch stopRequested = new CountDownLatch(1);
    onStopSignal(stopRequested);
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "ferry-worker-shutdown"));
    factory.start();
    log.info(
        "worker polling task queue '{}' in namespace '{}' at {} with the {} fleet; workflows: {};"
            + " activities: {}; metrics: {}",
        taskQueue,
        endpoint.namespace(),
        endpoint.describe(),
        chosen.name(),
        Arrays.stream(Roadmaps.workflowImplementations())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", ")),
        chosen.activityImplementations().stream()
            .map(a -> a.getClass().getSimpleName())
            .collect(Collectors.joining(", ")),
        metrics == null ? "off" : "http://0.0.0.0:" + metrics.port() + "/metrics");
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "ferry worker: polling task queue %s in namespace %s at %s with the %s fleet%s.%n"
            + "Stop with Ctrl-C or SIGTERM: running steps get %s to finish, then are handed back"
            + " to the server for another worker.%n",
        taskQueue,
        endpoint.namespace(),
        endpoint.describe(),
        chosen.name(),
        metrics == null ? "" : "; metrics on :" + metrics.port(),
        Durations.format(STOP_GRACE));
    out.flush();
    stopRequested.await();
    stop.run();
    return ExitCodes.OK;
  }

  private static Duration patience(String value) {
    try {
      Duration d = io.ferry.plan.Durations.parse(value);
      if (!d.isNegative()) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "--connect-patience: '" + value + "' is not a duration such as 0s, 30s or 5m");
  }
}
