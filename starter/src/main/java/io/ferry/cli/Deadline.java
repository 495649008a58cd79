package io.ferry.cli;

import io.ferry.plan.Durations;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The {@code --wait} option: how long a command waits for the server, and for a worker behind it,
 * before it says which one did not answer. Calls that need a worker (an update, a query) block in
 * the SDK until one answers, so they run here on a thread that is abandoned at the deadline.
 */
final class Deadline {
  static final String DEFAULT = "5s";

  private static final ExecutorService CALLS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "ferry-server-call");
            thread.setDaemon(true);
            return thread;
          });

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = DEFAULT,
      converter = DurationConverter.class,
      description =
          "How long to wait for the server and a worker before saying which did not answer"
              + " (default ${DEFAULT-VALUE}).")
  Duration wait = Duration.ofSeconds(5);

  Duration duration() {
    return wait;
  }

  /** Thrown when the deadline passed before the call returned. */
  static final class Passed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Passed(Duration wait) {
      super("no answer within " + Durations.format(wait), null, false, false);
    }
  }

  /** Runs {@code call}, giving up after {@link #wait()}; its own exceptions pass through. */
  <T> T call(Supplier<T> call) {
    Future<T> future = CALLS.submit(call::get);
    try {
      return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new Passed(wait);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new Passed(wait);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
