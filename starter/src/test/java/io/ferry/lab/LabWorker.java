package io.ferry.lab;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code ferry worker --fleet real} as its own process on the control host, from the built jars
 * (the test classes are left off its class path), with the lab's resolver file for
 * api.digitalocean.com and the lab CA as its trust store.
 */
final class LabWorker {

  private LabWorker() {}

  /** The class path without test classes and test jars: what a deployed worker runs. */
  static String mainClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("test-classes") && !e.endsWith("-tests.jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static Process start(
      Lab lab,
      int temporalPort,
      Path doToken,
      Path trustStore,
      String trustPassword,
      List<String> options,
      Path log) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // TEMPORAL_DEBUG turns off the SDK's 1 s deadlock detector: on a loaded machine a first
    // workflow task's class loading takes longer, and the test server then leaves the failed task
    // unretried
    List<String> command =
        new ArrayList<>(
            List.of("ip", "netns", "exec", lab.control, "env", "TEMPORAL_DEBUG=true", java));
    command.addAll(
        List.of(
            "-Xmx512m",
            "-Djavax.net.ssl.trustStore=" + trustStore,
            "-Djavax.net.ssl.trustStorePassword=" + trustPassword,
            "-cp",
            mainClassPath(),
            "io.ferry.worker.WorkerMain",
            "--fleet",
            "real",
            "--address",
            Lab.CONTROL_ADDRESS + ":" + temporalPort,
            "--metrics-port",
            "0",
            "--workflow-cache",
            "0",
            "--do-token",
            "file:" + doToken,
            "--backup-root",
            lab.dir.resolve("worker-backups").toString()));
    command.addAll(options);
    return lab.start("worker", command, log);
  }
}
