package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.WorkerFilesPort;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Files on the simulated worker: the app spec a plan names, log archives written there (kept). */
final class SimWorkerFiles implements WorkerFilesPort {

  private final SimWorld world;
  private final Map<String, String> files = new TreeMap<>();

  SimWorkerFiles(SimWorld world) {
    this.world = world;
  }

  /** A file the operator put on the worker before the run (once). */
  void seed(String path, String text) {
    synchronized (world) {
      files.putIfAbsent(path, text);
    }
  }

  /** A file changed by hand on the worker (not by a step, so not in the ledger). */
  void replace(String path, String text) {
    synchronized (world) {
      files.put(path, text);
    }
  }

  /** A file a step wrote on the worker: kept on purpose, so a rollback leaves it. */
  String write(String path, String text) {
    synchronized (world) {
      files.put(path, text);
      world.ledger.put(
          new Resource(
              "worker-file",
              path,
              Map.of(
                  "sha256",
                  SimWorld.sha256(text),
                  "bytes",
                  Integer.toString(text.getBytes(StandardCharsets.UTF_8).length)),
              true));
      return SimWorld.sha256(text);
    }
  }

  @Override
  public Optional<String> readText(String path, long maxBytes) {
    synchronized (world) {
      String text = files.get(Failures.require("path", path));
      if (text != null && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
        throw Failures.invalidInput(path + " is larger than " + maxBytes + " bytes");
      }
      return Optional.ofNullable(text);
    }
  }
}
