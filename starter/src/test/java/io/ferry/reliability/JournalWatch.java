package io.ferry.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows a simulated fleet's journal ({@code PortJournal}) as a worker appends to it, and acts the
 * moment a step has made its n-th call to the world: the crash trials' trigger, on its own thread
 * so the kill lands within a millisecond or two of the call.
 */
final class JournalWatch implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A journal's last call: its step, and how many calls that step had made by then. */
  record LastCall(String step, int call) {
    @Override
    public String toString() {
      return step + " #" + call;
    }
  }

  private final Path file;
  private final String step;
  private final int call;
  private volatile Runnable action;
  private final Thread thread;

  JournalWatch(Path file, String step, int call) {
    this.file = file;
    this.step = step;
    this.call = call;
    this.thread = new Thread(this::follow, "journal-watch");
    thread.setDaemon(true);
  }

  /** Runs {@code action} once {@code step}'s {@code call}-th call is in the journal. */
  void onReached(Runnable action) {
    this.action = action;
    thread.start();
  }

  private void follow() {
    int seen = 0;
    long position = 0;
    StringBuilder partial = new StringBuilder();
    try {
      while (!Thread.currentThread().isInterrupted()) {
        if (Files.exists(file)) {
          try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() > position) {
              in.seek(position);
              byte[] fresh = new byte[(int) (in.length() - position)];
              in.readFully(fresh);
              position += fresh.length;
              partial.append(new String(fresh, StandardCharsets.UTF_8));
              int newline;
              while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                partial.delete(0, newline + 1);
                if (step.equals(stepOf(line)) && ++seen == call) {
                  action.run();
                  return;
                }
              }
            }
          }
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls to the world per step, in the order the steps first made one (undos not counted). */
  static Map<String, Integer> callsPerStep(Path journal) throws IOException {
    Map<String, Integer> calls = new LinkedHashMap<>();
    for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
      String step = stepOf(line);
      if (step != null) {
        calls.merge(step, 1, Integer::sum);
      }
    }
    return calls;
  }

  /** The journal's last call (read it once its writer is dead), or null if there is none. */
  static LastCall lastCall(Path journal) throws IOException {
    Map<String, Integer> calls = new LinkedHashMap<>();
    String last = null;
    for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
      String step = stepOf(line);
      if (step != null) {
        calls.merge(step, 1, Integer::sum);
        last = step;
      }
    }
    return last == null ? null : new LastCall(last, calls.get(last));
  }

  /** The step a journal line's call was made for, or null for undos, seeding and torn lines. */
  private static String stepOf(String line) {
    try {
      JsonNode step = JSON.readTree(line).path("step");
      return step.isObject() && !step.path("compensation").asBoolean()
          ? step.path("step").asText()
          : null;
    } catch (IOException torn) {
      return null;
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
