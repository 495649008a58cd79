package io.ferry.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI as a user would, capturing stdout, stderr and the exit code. */
final class Cli {
  private final TemporalClients clients;
  private String input = "";

  Cli(TemporalClients clients) {
    this.clients = clients;
  }

  static Cli offline() {
    return new Cli(
        (address, namespace) -> {
          throw new AssertionError("this command must not connect to Temporal");
        });
  }

  Cli input(String text) {
    this.input = text;
    return this;
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd =
        FerryCli.commandLine(
            new FerryCli(clients).withInput(new BufferedReader(new StringReader(input))));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
