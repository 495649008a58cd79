package io.ferry.activities.probe;

import io.ferry.activities.Polling;
import io.ferry.activities.digitalocean.Heartbeat;
import io.ferry.activities.port.HttpPort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests to what users reach through the edge, the zero-downtime count. Where probes span real
 * time they repeat, {@link Polling#probeGap()} apart, for as long as the watch lasts, so nothing
 * between two analysis rounds or during a reload goes unseen; the simulated fleet probes once.
 */
public final class PublicRequests {

  /** Requests made and how many failed (no answer, or a status outside 2xx/3xx). */
  public record Tally(int requests, int failed, String firstFailure) {
    public static final Tally NONE = new Tally(0, 0, null);

    Tally plus(Tally other) {
      return new Tally(
          requests + other.requests,
          failed + other.failed,
          firstFailure != null ? firstFailure : other.firstFailure);
    }
  }

  private final HttpPort http;
  private final Polling polling;
  private final Heartbeat heartbeat = Heartbeat.activity();

  public PublicRequests(HttpPort http, Polling polling) {
    this.http = http;
    this.polling = polling;
  }

  /**
   * At least {@code passes} passes over {@code urls}, then more until {@code span} has passed
   * (where probes span time).
   */
  public Tally during(List<String> urls, int passes, Duration span) {
    Tally tally = Tally.NONE;
    if (urls.isEmpty()) {
      return tally;
    }
    long ends = System.nanoTime() + (span == null ? 0 : span.toNanos());
    for (int i = 0; i < passes; i++) {
      tally = tally.plus(pass(urls));
    }
    if (!polling.probesSpanTime()) {
      return tally;
    }
    while (System.nanoTime() + polling.probeGap().toNanos() < ends) {
      // a long round learns of a cancellation (an operator's rollback) from its heartbeat
      heartbeat.beat(tally.failed() + " of " + tally.requests() + " public requests failed so far");
      pause(polling.probeGap());
      tally = tally.plus(pass(urls));
    }
    return tally;
  }

  /**
   * Passes over {@code urls} from before {@code change} starts until {@code settle} after it ends
   * (a reload's old workers finish their requests after the reload returns).
   */
  public Tally around(List<String> urls, Runnable change, Duration settle) {
    if (urls.isEmpty()) {
      change.run();
      return Tally.NONE;
    }
    if (!polling.probesSpanTime()) {
      change.run();
      return pass(urls);
    }
    Tally before = pass(urls);
    AtomicBoolean changing = new AtomicBoolean(true);
    Tally[] during = {Tally.NONE};
    Thread watcher =
        new Thread(
            () -> {
              while (changing.get()) {
                during[0] = during[0].plus(pass(urls));
                pause(polling.probeGap());
              }
            },
            "ferry-reload-watch");
    watcher.setDaemon(true);
    watcher.start();
    try {
      change.run();
    } finally {
      changing.set(false);
      join(watcher);
    }
    return before.plus(during[0]).plus(during(urls, 1, settle));
  }

  private Tally pass(List<String> urls) {
    int failed = 0;
    String first = null;
    for (String url : urls) {
      String failure;
      try {
        int status = http.get(url).status();
        failure = status >= 200 && status < 400 ? null : url + " answered " + status;
      } catch (io.temporal.failure.ApplicationFailure e) {
        throw e;
      } catch (RuntimeException e) {
        failure = url + " did not answer (" + e.getMessage() + ")";
      }
      if (failure != null) {
        failed++;
        first = first == null ? failure : first;
      }
    }
    return new Tally(urls.size(), failed, first);
  }

  private static void pause(Duration gap) {
    try {
      Thread.sleep(gap.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing", e);
    }
  }

  private static void join(Thread watcher) {
    try {
      watcher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing", e);
    }
  }
}
