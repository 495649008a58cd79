package io.ferry.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program (never through a shell unless asked) and fails with its output when it fails. */
final class Cmd {

  private Cmd() {}

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("did not end in 2 minutes: " + command);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }

  /** Runs and returns the output; a non-zero exit is an error naming the command. */
  static String ok(String... command) {
    Result r = run(List.of(command));
    if (!r.ok()) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + r.exit() + ": " + r.output().strip());
    }
    return r.output();
  }

  /** {@code command} run inside a lab namespace. */
  static List<String> in(String namespace, String... command) {
    List<String> words = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    words.addAll(List.of(command));
    return words;
  }

  static String okIn(String namespace, String... command) {
    return ok(in(namespace, command).toArray(String[]::new));
  }
}
