package io.ferry.worker;

import picocli.CommandLine;

/** Entry point of {@code ferry-worker.jar}. */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerCommand()).execute(args));
  }
}
