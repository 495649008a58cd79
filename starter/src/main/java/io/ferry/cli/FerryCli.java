package io.ferry.cli;

import io.ferry.plan.PlanInvalidException;
import io.ferry.roadmap.Roadmaps;
import io.ferry.worker.ExitCodes;
import io.ferry.worker.connect.ConnectionOptions;
import io.ferry.worker.connect.TemporalEndpoint;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code ferry} command: global options, the subcommands, and how failures are reported. */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = FerryCli.Version.class,
    description = "Runs infrastructure migrations as durable Temporal workflows.",
    subcommands = {
      RoadmapsCommand.class,
      ValidateCommand.class,
      RehearseCommand.class,
      StartCommand.class,
      StatusCommand.class,
      ListCommand.class,
      ReportCommand.class,
      OperatorCommands.Approve.class,
      OperatorCommands.Reject.class,
      OperatorCommands.Complete.class,
      OperatorCommands.Pause.class,
      OperatorCommands.Resume.class,
      OperatorCommands.Retry.class,
      OperatorCommands.Skip.class,
      OperatorCommands.Rollback.class,
      OperatorCommands.ExtendSoak.class,
      OperatorCommands.EndSoak.class,
      DevCommand.class,
      io.ferry.worker.WorkerCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:OK",
      "1:SOFTWARE: an unexpected error (--verbose shows the stack trace)",
      "2:USAGE: bad command line, unknown roadmap or step",
      "3:INVALID_PLAN: the plan file has problems (each is listed)",
      "4:REFUSED: refused (the message says why): the migration's own check, a migration that"
          + " has ended, or one that completed and is started again without --again",
      "5:NOT_FOUND: no such migration",
      "6:ALREADY_RUNNING: a migration for this target is already running",
      "7:MIGRATION_NOT_COMPLETED: the migration ended rolled back or failed",
      "8:UNAVAILABLE: cannot reach the Temporal frontend",
      "9:LEDGER_MISMATCH: a rehearsed rollback left the simulated ledger changed",
      "10:FLEET_UNAVAILABLE: ferry worker --fleet real: the DigitalOcean token's reference does"
          + " not resolve",
      "11:NO_WORKER: the server answers but no worker polls the task queue or answered within"
          + " --wait (the message shows what the server knows)",
      "12:SERVER_NOT_SET_UP: the server does not serve the namespace, or lacks Ferry's search"
          + " attributes"
    })
public class FerryCli implements Callable<Integer> {

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Temporal frontend host:port (env TEMPORAL_ADDRESS, or the profile of temporal.toml;"
              + " default localhost:7233).")
  String address;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (env TEMPORAL_NAMESPACE, or the profile; default default).")
  String namespace;

  /** TLS, mTLS, API key, Temporal's configuration profile; flags after the command name win. */
  @Mixin ConnectionOptions secured = new ConnectionOptions();

  private TemporalEndpoint endpoint;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of unexpected errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  private final TemporalClients clients;
  private BufferedReader in;
  private WorkflowClient client;

  public FerryCli() {
    this(TemporalClients.grpc());
  }

  public FerryCli(TemporalClients clients) {
    this.clients = clients;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new FerryCli()).execute(args));
  }

  /** A usage error: what is wrong and where help is, without the whole usage text. */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return ExitCodes.USAGE;
  }

  /** The command line with Ferry's failure reporting; tests build theirs the same way. */
  public static CommandLine commandLine(FerryCli ferry) {
    CommandLine cmd = new CommandLine(ferry);
    generatedHelp(cmd);
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> ferry.report(ex, commandLine.getErr()));
    cmd.setParameterExceptionHandler(FerryCli::usageError);
    cmd.setExecutionStrategy(
        parseResult -> {
          try {
            return new CommandLine.RunLast().execute(parseResult);
          } finally {
            ferry.release();
          }
        });
    return cmd;
  }

  /** Help text read from the roadmap registry, so it names only roadmaps that exist. */
  private static void generatedHelp(CommandLine cmd) {
    CommandLine.Model.UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
    usage.description(
        usage.description()[0],
        "Try it with nothing installed but a JDK: ferry rehearse " + Roadmaps.all().get(0).id());
    cmd.getSubcommands()
        .get("rehearse")
        .getCommandSpec()
        .usageMessage()
        .footer(RehearseCommand.knobsHelp());
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.USAGE;
  }

  /** The client for {@code --address}, made on first use and released when the command ends. */
  WorkflowClient client() {
    if (client == null) {
      client = clients.connect(endpoint());
    }
    return client;
  }

  /**
   * Where the commands connect: the flags, then the TEMPORAL_* variables, then the profile of
   * Temporal's configuration file, then localhost. A setting that cannot be used is a usage error.
   */
  TemporalEndpoint endpoint() {
    if (endpoint == null) {
      try {
        endpoint = secured.resolve(address, namespace);
      } catch (IllegalArgumentException e) {
        throw new CliFailure(ExitCodes.USAGE, e.getMessage(), e);
      }
    }
    return endpoint;
  }

  /** Values given after the subcommand's name win over those before it and the defaults. */
  void override(String newAddress, String newNamespace, ConnectionOptions newSecured) {
    if (newAddress != null) {
      address = newAddress;
    }
    if (newNamespace != null) {
      namespace = newNamespace;
    }
    secured = newSecured.over(secured);
    endpoint = null;
  }

  String address() {
    return endpoint().address();
  }

  String namespace() {
    return endpoint().namespace();
  }

  /** Where prompts read answers; the terminal unless a test sets another. */
  BufferedReader in() {
    if (in == null) {
      in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return in;
  }

  public FerryCli withInput(BufferedReader reader) {
    this.in = reader;
    return this;
  }

  /** Releases the client; commands call this in a finally block. */
  void release() {
    if (client != null) {
      WorkflowClient c = client;
      client = null;
      clients.release(c);
    }
  }

  private int report(Exception ex, PrintWriter err) {
    release();
    if (ex instanceof CliFailure f) {
      err.println(f.getMessage());
      printTrace(ex, err);
      return f.exitCode();
    }
    if (ex instanceof PlanInvalidException p) {
      err.println(p.getMessage());
      return ExitCodes.INVALID_PLAN;
    }
    if (ex instanceof Deadline.Passed) {
      err.println(
          "the Temporal server at "
              + address()
              + " gave "
              + ex.getMessage()
              + " (namespace "
              + namespace()
              + "); try again, or give it longer with --wait");
      return ExitCodes.UNAVAILABLE;
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof WorkflowNotFoundException nf) {
        err.println(
            "no migration "
                + nf.getExecution().getWorkflowId()
                + " in namespace "
                + namespace()
                + " on "
                + address()
                + " (ferry list shows the migrations there)");
        return ExitCodes.NOT_FOUND;
      }
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        java.util.Optional<String> tls =
            endpoint == null ? java.util.Optional.empty() : endpoint.tlsFailure(s);
        if (tls.isPresent()) {
          err.println(tls.get());
          printTrace(ex, err);
          return ExitCodes.UNAVAILABLE;
        }
        if (code == Status.Code.UNAVAILABLE || neverConnected(s)) {
          err.println(unavailable());
          printTrace(ex, err);
          return ExitCodes.UNAVAILABLE;
        }
        if (code == Status.Code.DEADLINE_EXCEEDED) {
          err.println(
              "the Temporal server at "
                  + address()
                  + " took the connection but did not answer in time (namespace "
                  + namespace()
                  + "); try again, or give it longer with --wait");
          printTrace(ex, err);
          return ExitCodes.UNAVAILABLE;
        }
        if (code == Status.Code.NOT_FOUND) {
          err.println(
              "not found on "
                  + address()
                  + " (namespace "
                  + namespace()
                  + "): "
                  + s.getStatus().getDescription());
          return ExitCodes.NOT_FOUND;
        }
      }
    }
    err.println("error: " + oneLine(ex));
    if (verbose) {
      ex.printStackTrace(err);
    } else {
      err.println("(run again with --verbose for the stack trace)");
    }
    return ExitCodes.SOFTWARE;
  }

  /** A deadline that passed while gRPC still waited for a connection: nothing answered there. */
  private static boolean neverConnected(StatusRuntimeException s) {
    String description = s.getStatus().getDescription();
    return s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
        && description != null
        && description.contains("waiting_for_connection");
  }

  String unavailable() {
    return "cannot reach Temporal at "
        + endpoint().describe()
        + ". Start a local one with `ferry dev` (or `ferry dev --port N` and --address"
        + " localhost:N), or point --address / TEMPORAL_ADDRESS at your frontend.";
  }

  private void printTrace(Exception ex, PrintWriter err) {
    if (verbose) {
      ex.printStackTrace(err);
    }
  }

  static String oneLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (root != t && root.getMessage() != null) {
      message = message + ": " + root.getMessage();
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The version in the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = FerryCli.class.getPackage().getImplementationVersion();
      return new String[] {"ferry " + (v == null ? "(development build)" : v)};
    }
  }
}
