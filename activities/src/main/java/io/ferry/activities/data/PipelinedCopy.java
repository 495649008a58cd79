package io.ferry.activities.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/**
 * Rows on their way to a {@code COPY}, in batches: a full batch is copied on a helper thread while
 * the caller goes on reading the source, so reads and writes overlap as in {@code psql \copy}. At
 * most two batches are held (one filling, one being copied). Not for use by more than one thread.
 */
final class PipelinedCopy implements AutoCloseable {

  private final int batchRows;
  private final ToLongFunction<List<List<String>>> copy;
  private final LongConsumer progress;
  private final ExecutorService copier;
  private List<List<String>> filling;
  private Future<Long> inFlight;
  private long copied;

  /**
   * @param copy copies one batch and returns the rows it copied
   * @param progress told the running total on the caller's thread after each batch (heartbeats)
   */
  PipelinedCopy(int batchRows, ToLongFunction<List<List<String>>> copy, LongConsumer progress) {
    this.batchRows = batchRows;
    this.copy = copy;
    this.progress = progress;
    this.filling = new ArrayList<>(batchRows);
    this.copier =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-copy");
              t.setDaemon(true);
              return t;
            });
  }

  void add(List<String> row) {
    filling.add(row);
    if (filling.size() >= batchRows) {
      send();
    }
  }

  /** Copies what is left and returns the rows copied in all. */
  long finish() {
    send();
    awaitInFlight();
    return copied;
  }

  private void send() {
    if (filling.isEmpty()) {
      return;
    }
    awaitInFlight();
    List<List<String>> full = filling;
    filling = new ArrayList<>(batchRows);
    inFlight = copier.submit(() -> copy.applyAsLong(full));
  }

  private void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    try {
      copied += inFlight.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // keeps an ApplicationFailure's type
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while copying rows", e);
    } finally {
      inFlight = null;
    }
    progress.accept(copied);
  }

  /** Waits for a batch still being copied (so nothing runs on after the activity), then stops. */
  @Override
  public void close() {
    try {
      if (inFlight != null) {
        inFlight.get();
      }
    } catch (ExecutionException | RuntimeException e) {
      // the failure that matters has been thrown already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      copier.shutdown();
    }
  }
}
