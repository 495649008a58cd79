package io.ferry.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the lab needs to run one roadmap: its hosts and services, and its lab plan. */
interface LabScenario {

  /** The registered roadmap's id. */
  String roadmap();

  /** Builds the roadmap's hosts and services in {@code lab}. */
  void build(Lab lab, Services services, DigitalOceanStandIn cloud);

  /** The lab plan named {@code name}: hosts are lab hosts, secrets file: references. */
  String plan(String name);

  /** PostgreSQL servers by host name, with their Unix socket directory (for the snapshots). */
  Map<String, Path> postgres();

  /** Redis servers by address, with their password file (for the snapshots). */
  Map<String, Path> redis();

  /**
   * Where the roadmap cannot go on in the lab, and what the failure says; null when it completes.
   */
  Stop stop();

  record Stop(String step, String because, String messagePart) {}

  /**
   * The rollback run of a roadmap that completes in the lab: {@code inject} turns on (true) and off
   * a failure of the world (not of Ferry) that makes {@code step} fail with a message holding
   * {@code messagePart}; null when the stop already is the rollback run.
   */
  default Rollback rollback() {
    return null;
  }

  record Rollback(String step, String messagePart, java.util.function.Consumer<Boolean> inject) {

    /** A failure the lab's responders show while {@code flag} exists: they answer 503. */
    static Rollback answering503While(String step, String messagePart, Path flag) {
      return new Rollback(
          step,
          messagePart,
          on -> {
            try {
              if (on) {
                java.nio.file.Files.writeString(flag, "503\n");
              } else {
                java.nio.file.Files.deleteIfExists(flag);
              }
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
  }

  /** Snapshot entries (host:path prefixes) a roadmap keeps on purpose, such as backups. */
  default List<String> kept() {
    return List.of();
  }

  /** Options the worker needs for this roadmap's hosts (a CA file, say). */
  default List<String> workerOptions() {
    return List.of();
  }

  /**
   * The soak's sampling interval when the lab lets the soak run its whole length on the test
   * server's skipped time (every round a real one); null: the lab's operator ends it (END_SOAK).
   */
  default java.time.Duration soakOnSkippedTime() {
    return null;
  }

  /** What a run left on the worker (a secret store's files): none, rolled back or complete. */
  default List<String> leftAfterRun() {
    return List.of();
  }

  /** The step the crash trial kills the worker in. */
  String crashStep();

  /** Per step: what it touched, starting with "real" or "stand-in". */
  Map<String, String> touched();

  /** The lab's secret files (each value is searched for in every history). */
  List<Path> secrets();
}
