package io.ferry.activities.data;

import io.ferry.activities.ActivityStep;
import io.ferry.activities.Failures;
import io.ferry.activities.port.EmbedderPort;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.activities.port.MemoryStorePort.ScanPage;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.activities.port.WeaviatePort.VectorObject;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.temporal.activity.ActivityExecutionContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of {@code migrateMemory}, as a three-stage pipeline so the embedder (the bottleneck,
 * on the activity's thread) never waits on the network:
 *
 * <ol>
 *   <li>a reader thread SCANs a page, reads its values and parses them;
 *   <li>the activity's thread embeds each page's texts;
 *   <li>a writer thread upserts each page in order, then heartbeats the cursor after it.
 * </ol>
 *
 * Queues between the stages hold {@value #QUEUED_PAGES} pages each, so memory does not grow with
 * the number of keys. Progress is heartbeated only after its page is upserted.
 *
 * <p>Temporal sends heartbeats throttled, so the last one that reached the server before a worker
 * died may lag several pages behind the last upsert. A retry therefore catches up first: from the
 * heartbeated cursor, each page whose well-formed items are all in Weaviate already (same ids, from
 * the same keys) is counted without embedding or upserting it again, until the first page that is
 * not complete. So a retry redoes at most the one page whose upsert was in flight.
 */
final class MemoryMigrator {

  private static final Logger log = LoggerFactory.getLogger(MemoryMigrator.class);

  static final int QUEUED_PAGES = 2;
  static final int SET_ASIDE_SAMPLE = 20;
  private static final Object END = new Object();
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final MemoryStorePort store;
  private final WeaviatePort weaviate;
  private final EmbedderPort embedder;
  private final MemoryMigration request;
  private final String tenant;
  private final ActivityExecutionContext context;

  MemoryMigrator(
      MemoryStorePort store,
      WeaviatePort weaviate,
      EmbedderPort embedder,
      MemoryMigration request,
      String tenant,
      ActivityExecutionContext context) {
    this.store = store;
    this.weaviate = weaviate;
    this.embedder = embedder;
    this.request = request;
    this.tenant = tenant;
    this.context = context;
  }

  /** A key as read: a well-formed item or why it is set aside. */
  private record Entry(String key, UUID id, MemoryItem item, String malformed) {}

  /**
   * One SCAN page, parsed; {@code cursor} is where the scan goes on after it; {@code stored}: an
   * earlier attempt upserted all its items already.
   */
  private record Page(String cursor, List<Entry> entries, boolean stored) {}

  private record Embedded(Page page, List<float[]> vectors) {}

  MigrationProgress run(MigrationProgress start) {
    if (start.scanned() > 0 && "0".equals(start.cursor())) {
      // the last page was upserted and checkpointed before the attempt failed: nothing to read
      return start;
    }
    int run = RUNS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "migrate-memory-" + run + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    BlockingQueue<Object> parsed = new ArrayBlockingQueue<>(QUEUED_PAGES);
    BlockingQueue<Object> embedded = new ArrayBlockingQueue<>(QUEUED_PAGES);
    try {
      boolean resumed =
          !start.equals(MigrationProgress.START) || context.getInfo().getAttempt() > 1;
      // the stages act for the activity's step (the simulated ledger and journal say which)
      Future<?> reader =
          threads.submit(
              ActivityStep.carried(
                  () -> {
                    read(start.cursor(), resumed, parsed);
                    return null;
                  }));
      Future<MigrationProgress> writer =
          threads.submit(ActivityStep.carried(() -> write(start, embedded)));
      while (true) {
        Object next = take(parsed, reader, writer);
        if (next == END) {
          break;
        }
        Page page = (Page) next;
        if (page.stored()) {
          put(embedded, new Embedded(page, List.of()), writer);
          continue;
        }
        List<String> texts = new ArrayList<>();
        for (Entry e : page.entries()) {
          if (e.item() != null) {
            texts.add(e.item().text());
          }
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embed(texts);
        if (vectors.size() != texts.size()) {
          throw new IllegalStateException(
              "the embedder returned "
                  + vectors.size()
                  + " vectors for "
                  + texts.size()
                  + " texts");
        }
        put(embedded, new Embedded(page, vectors), writer);
      }
      put(embedded, END, writer);
      return outcome(writer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("memory migration interrupted", e);
    } finally {
      threads.shutdownNow();
      awaitStopped(threads);
    }
  }

  private Void read(String cursor, boolean catchingUp, BlockingQueue<Object> out)
      throws InterruptedException {
    do {
      ScanPage page = store.scan(request.source(), request.pattern(), cursor, request.batchSize());
      Map<String, StoredValue> values =
          page.keys().isEmpty() ? Map.of() : store.read(request.source(), page.keys());
      List<Entry> entries = new ArrayList<>(page.keys().size());
      for (String key : page.keys()) {
        StoredValue value = values.get(key);
        if (value == null) {
          continue; // deleted between SCAN and GET
        }
        UUID id = MemoryIds.forKey(key);
        try {
          if (!(value instanceof StoredValue.Text text)) {
            throw new MemoryItem.Malformed(
                value instanceof StoredValue.Other other
                    ? "not a string value (" + other.type() + ")"
                    : "not a string value");
          }
          entries.add(new Entry(key, id, MemoryItem.parse(key, text.value()), null));
        } catch (MemoryItem.Malformed e) {
          entries.add(new Entry(key, id, null, e.getMessage()));
        }
      }
      cursor = page.cursor();
      boolean stored = catchingUp && allStored(entries);
      catchingUp = stored;
      out.put(new Page(cursor, entries, stored));
    } while (!"0".equals(cursor));
    out.put(END);
    return null;
  }

  private boolean allStored(List<Entry> entries) {
    List<UUID> ids = entries.stream().filter(e -> e.item() != null).map(Entry::id).toList();
    return ids.isEmpty() // nothing to embed: does not end the catching up
        || weaviate.existing(request.target(), request.collection(), tenant, ids).size()
            == new HashSet<>(ids).size();
  }

  private MigrationProgress write(MigrationProgress start, BlockingQueue<Object> in)
      throws InterruptedException {
    SeenKeys seen = new SeenKeys();
    long scanned = start.scanned();
    long migrated = start.migrated();
    long malformed = start.malformed();
    Map<String, String> setAside = new TreeMap<>(start.setAside());
    MigrationProgress progress = start;
    while (true) {
      Object next = in.take();
      if (next == END) {
        return progress;
      }
      Embedded batch = (Embedded) next;
      List<Entry> entries = batch.page().entries();
      // Duplicates: within the page exactly; across pages by the filter, confirmed in Weaviate
      // (an earlier page is upserted already, so a repeated key's object is there).
      Set<String> inPage = new HashSet<>();
      List<UUID> maybeSeen = new ArrayList<>();
      boolean[] repeated = new boolean[entries.size()];
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        boolean seenBefore = seen.addAndCheck(e.id());
        if (!inPage.add(e.key())) {
          repeated[i] = true;
        } else if (seenBefore) {
          if (e.item() == null) {
            repeated[i] = true; // set aside before; not in Weaviate to confirm (see SeenKeys)
          } else {
            maybeSeen.add(e.id());
          }
        }
      }
      // On a stored page every id is in Weaviate (checked by the reader), so a "maybe" is a repeat.
      Set<UUID> stored =
          batch.page().stored()
              ? new HashSet<>(maybeSeen)
              : maybeSeen.isEmpty()
                  ? Set.of()
                  : weaviate.existing(request.target(), request.collection(), tenant, maybeSeen);
      List<VectorObject> objects = new ArrayList<>();
      int vector = 0;
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        float[] v =
            e.item() == null || batch.page().stored() ? null : batch.vectors().get(vector++);
        if (repeated[i] || stored.contains(e.id())) {
          continue;
        }
        scanned++;
        if (e.item() == null) {
          malformed++;
          if (setAside.size() < SET_ASIDE_SAMPLE) {
            setAside.put(e.key(), e.malformed());
          }
        } else if (batch.page().stored()) {
          migrated++; // upserted by the attempt before this one
        } else {
          objects.add(new VectorObject(e.id(), e.item().properties(), v));
        }
      }
      if (!objects.isEmpty()) {
        weaviate.upsert(request.target(), request.collection(), tenant, objects);
        migrated += objects.size();
      }
      progress =
          new MigrationProgress(batch.page().cursor(), scanned, migrated, malformed, setAside);
      context.heartbeat(progress);
    }
  }

  /** The next item from the reader, failing as soon as any stage has failed. */
  private static Object take(BlockingQueue<Object> queue, Future<?>... stages)
      throws InterruptedException {
    while (true) {
      Object next = queue.poll(50, TimeUnit.MILLISECONDS);
      if (next != null) {
        return next;
      }
      for (Future<?> stage : stages) {
        if (stage.isDone()) {
          outcome(stage); // rethrows a failure; a reader that ended left END in the queue
        }
      }
    }
  }

  private static void put(BlockingQueue<Object> queue, Object item, Future<?> consumer)
      throws InterruptedException {
    while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
      if (consumer.isDone()) {
        outcome(consumer);
        throw new IllegalStateException("the upserting stage ended before the scan did");
      }
    }
  }

  private static <T> T outcome(Future<T> stage) throws InterruptedException {
    try {
      return stage.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      if (cause instanceof InterruptedException) {
        throw new IllegalStateException("memory migration interrupted", cause);
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Waits for the stages to stop, even when this thread was interrupted: a stage still inside an
   * upsert must finish before the attempt ends, or the retry could race it.
   */
  private static void awaitStopped(ExecutorService threads) {
    boolean interrupted = Thread.interrupted();
    try {
      if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
        log.warn("memory migration stages did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void requireValid(MemoryMigration request) {
    Failures.require("source", request.source());
    Failures.require("pattern", request.pattern());
    Failures.require("target", request.target());
  }
}
