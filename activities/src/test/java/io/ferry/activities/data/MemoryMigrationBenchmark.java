package io.ferry.activities.data;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.embed.Langchain4jEmbedder;
import io.ferry.activities.embed.MiniLmEmbedder;
import io.ferry.activities.embed.OnnxRuntimeCeiling;
import io.ferry.activities.port.EmbedderPort;
import io.ferry.activities.redis.RedisMemoryStore;
import io.ferry.activities.redis.RedisTestServer;
import io.ferry.activities.weaviate.WeaviateRest;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.ferry.contract.DataActivities.MigrationReport;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.WeaviateTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * On demand, not in {@code verify} (see README "Benchmarks"): memory-migration throughput against
 * the ceiling of this machine (the model run straight on ONNX Runtime on every core, {@link
 * OnnxRuntimeCeiling}), against the embedder alone, and against a migration with the old
 * langchain4j embedder, with CPU time per item; then the heap a migration needs as the key count
 * grows.
 *
 * <p>Source: a real Redis ({@link RedisTestServer}). Target: the real {@link WeaviateRest} client
 * over HTTP to a thin local sink that only counts objects and echoes their ids (a real Weaviate
 * runs on another machine; the validating stand-in would spend this machine's CPU checking 384
 * floats per object and keep every object in this JVM's heap).
 *
 * <p>Sizes: {@code -Dferry.bench.keys=4000} sentences and keys for each measurement, {@code
 * -Dferry.bench.rounds=6} alternations of the four, {@code -Dferry.bench.heapKeys=100000,1000000}
 * for the heap runs with a fast deterministic embedder (empty: none).
 */
@org.junit.jupiter.api.Tag("benchmark")
class MemoryMigrationBenchmark {

  private static final int BATCH = 256;
  private static final int WARM_UP_KEYS = 30_000;
  private static final String[] WORDS = {
    "deploy",
    "invoice",
    "customer",
    "meeting",
    "Friday",
    "database",
    "migration",
    "payment",
    "trial",
    "patient",
    "unit",
    "status",
    "report",
    "weekly",
    "review",
    "server",
    "latency",
    "approved",
    "pending",
    "refund",
    "schedule",
    "ticket",
    "release",
    "backup",
    "cluster",
    "morning",
    "summary",
    "question",
    "answer",
    "budget",
    "contract",
    "phase"
  };

  @Test
  void memoryMigration_throughputAndHeap() throws Exception {
    int keys = Integer.getInteger("ferry.bench.keys", 4_000);
    String heapKeys = System.getProperty("ferry.bench.heapKeys", "100000,1000000");
    int rounds = Integer.getInteger("ferry.bench.rounds", 6);
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> sentences = new ArrayList<>(keys);
    for (int i = 0; i < keys; i++) {
      sentences.add(text(i));
    }
    HeapWatch heap = new HeapWatch();
    try (RedisTestServer redis = RedisTestServer.start(RedisTestServer.Options.plain());
        Sink sink = new Sink();
        OnnxRuntimeCeiling ceiling = new OnnxRuntimeCeiling(cores);
        MiniLmEmbedder miniLm = new MiniLmEmbedder(cores);
        Langchain4jEmbedder old = new Langchain4jEmbedder(cores);
        RedisMemoryStore store = new RedisMemoryStore(SecretResolver.withEnvironment(n -> null))) {
      WeaviateRest weaviate = new WeaviateRest(SecretResolver.withEnvironment(n -> null));
      Counted counted = new Counted(miniLm, "minilm-");
      Migrations fast = new Migrations(redis, sink, store, weaviate, new FastEmbedder());
      Migrations withMiniLm = new Migrations(redis, sink, store, weaviate, counted);
      Migrations withOld = new Migrations(redis, sink, store, weaviate, old);
      print(
          "machine: %d cores, max heap %d MiB, %s",
          cores,
          Runtime.getRuntime().maxMemory() >> 20,
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      float[] reference = ceiling.embedAll(sentences.subList(0, 1))[0];
      if (!java.util.Arrays.equals(reference, miniLm.embed(sentences.subList(0, 1)).get(0))) {
        throw new AssertionError("the ceiling harness and the embedder give different vectors");
      }
      // warm-up: the JIT and ONNX Runtime's first runs are not what a migration sees
      ceiling.embedAll(sentences.subList(0, Math.min(keys, 200)));
      miniLm.embed(sentences.subList(0, Math.min(keys, 200)));
      old.embed(sentences.subList(0, Math.min(keys, 200)));
      // and the migration's own path (Redis, JSON, the Weaviate client): C2 compiles it
      seed(redis, WARM_UP_KEYS);
      fast.run(WARM_UP_KEYS);
      seed(redis, WARM_UP_KEYS);
      print(
          "migration without the model (hash vectors), %,d keys: %s",
          WARM_UP_KEYS, fast.run(WARM_UP_KEYS));
      // Rounds alternate the four measurements, so load from other processes on a shared
      // machine falls on all of them alike.
      Measured ceilingTotal = Measured.NONE;
      Measured embedderTotal = Measured.NONE;
      Measured migrationTotal = Measured.NONE;
      Measured oldTotal = Measured.NONE;
      for (int round = 1; round <= rounds; round++) {
        Measured top = Measured.of(keys, () -> ceiling.embedAll(sentences));
        Measured embedder = Measured.of(keys, () -> rawEmbedder(miniLm, sentences));
        seed(redis, keys);
        heap.reset();
        counted.restart();
        Measured migration = withMiniLm.run(keys);
        double embeddingMs = 1000 * counted.cpuSeconds() / keys;
        String heapLine = heap.describe(String.format("heap, %,d keys (MiniLM):", keys));
        seed(redis, keys);
        Measured oldMigration = withOld.run(keys);
        print(
            "round %d: ceiling %s | embedder alone %s | migration %s (%.2f ms of it in the"
                + " embedder's threads) = %.1f %% of the ceiling | migration with the old embedder"
                + " %s",
            round,
            top,
            embedder,
            migration,
            embeddingMs,
            100 * migration.perSecond() / top.perSecond(),
            oldMigration);
        print(heapLine);
        ceilingTotal = ceilingTotal.plus(top);
        embedderTotal = embedderTotal.plus(embedder);
        migrationTotal = migrationTotal.plus(migration);
        oldTotal = oldTotal.plus(oldMigration);
      }
      print("all %d rounds, %,d sentences or keys each:", rounds, keys);
      print("  ONNX Runtime ceiling (%d sessions):   %s", cores, ceilingTotal);
      print("  MiniLmEmbedder alone (batches of %d): %s", BATCH, embedderTotal);
      print("  migration (MiniLmEmbedder):           %s", migrationTotal);
      print("  migration (old langchain4j embedder): %s", oldTotal);
      print(
          "  migration / ceiling:                  %.1f %% (target >= 90 %%)",
          100 * migrationTotal.perSecond() / ceilingTotal.perSecond());
      print(
          "  migration / old embedder's migration: %.2f x (target >= 1.5 x)",
          migrationTotal.perSecond() / oldTotal.perSecond());
      double oldShare = oldTotal.perSecond() / ceilingTotal.perSecond();
      print(
          "  old embedder's migration / ceiling:   %.1f %% (1.5 x of it is %.0f %% of the ceiling)",
          100 * oldShare, 150 * oldShare);

      for (String size : heapKeys.split(",")) {
        if (size.isBlank()) {
          continue;
        }
        int n = Integer.parseInt(size.trim());
        seed(redis, n);
        sink.reset();
        heap.reset();
        Measured large = fast.run(n);
        print(
            "migration, fast embedder: %s (%,d keys; hash vectors, not MiniLM, which would take"
                + " %.0f min for them here)",
            large, n, n / ceilingTotal.perSecond() / 60);
        print(heap.describe(String.format("heap, %,d keys (fast embedder):", n)));
      }
      fast.close();
      withMiniLm.close();
      withOld.close();
    }
  }

  /** The embedder, counting the CPU time its calls take: on the calling thread and its own. */
  static final class Counted implements EmbedderPort {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final EmbedderPort embedder;
    private final String threadPrefix;
    private long ownAtStart;
    private final AtomicLong callers = new AtomicLong();

    Counted(EmbedderPort embedder, String threadPrefix) {
      this.embedder = embedder;
      this.threadPrefix = threadPrefix;
      restart();
    }

    /** Counts from now on. */
    void restart() {
      callers.set(0);
      ownAtStart = ownThreads();
    }

    @Override
    public int dimensions() {
      return embedder.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      long start = THREADS.getCurrentThreadCpuTime();
      try {
        return embedder.embed(texts);
      } finally {
        callers.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
      }
    }

    double cpuSeconds() {
      return (callers.get() + ownThreads() - ownAtStart) / 1e9;
    }

    private long ownThreads() {
      long sum = 0;
      for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (t != null && t.getThreadName().startsWith(threadPrefix)) {
          sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
        }
      }
      return sum;
    }
  }

  /** Items done, wall time and this process's CPU time (all its threads) for a measurement. */
  record Measured(long items, double seconds, double cpuSeconds) {
    static final Measured NONE = new Measured(0, 0, 0);

    interface Body {
      void run() throws Exception;
    }

    static Measured of(long items, Body body) throws Exception {
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu = os.getProcessCpuTime();
      long start = System.nanoTime();
      body.run();
      return new Measured(
          items, (System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
    }

    double perSecond() {
      return items / seconds;
    }

    Measured plus(Measured other) {
      return new Measured(
          items + other.items, seconds + other.seconds, cpuSeconds + other.cpuSeconds);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%,.1f/s, %.2f ms CPU each", perSecond(), 1000 * cpuSeconds / items);
    }
  }

  /**
   * One embedder's migrations, on activities built once as a worker builds them: the Redis store
   * and the Weaviate client are shared and keep their connections from one migration to the next,
   * so each measurement is the migration's own work, not a worker's start-up.
   */
  static final class Migrations implements AutoCloseable {
    private final RedisTestServer redis;
    private final Sink sink;
    private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    private final DataActivities data;

    Migrations(
        RedisTestServer redis,
        Sink sink,
        RedisMemoryStore store,
        WeaviateRest weaviate,
        EmbedderPort embedder) {
      this.redis = redis;
      this.sink = sink;
      env.registerActivitiesImplementations(
          new DataActivitiesImpl(null, weaviate, store, embedder, null));
      data =
          env.newActivityStub(
              DataActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofHours(2))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
    }

    /** One migration of the seeded keys, timed from the activity's call to its answer. */
    Measured run(int keys) throws Exception {
      long before = sink.objects();
      MigrationReport[] answer = new MigrationReport[1];
      Measured measured =
          Measured.of(
              keys,
              () ->
                  answer[0] =
                      data.migrateMemory(
                          new MemoryMigration(
                              new MemoryStoreTarget(redis.url(0), null),
                              "memory:*",
                              new WeaviateTarget(sink.url(), null),
                              "Session",
                              "20250602",
                              BATCH,
                              0.01,
                              "bench/migrate-memory")));
      MigrationReport report = answer[0];
      if (report.scanned() != keys || sink.objects() - before < keys) {
        throw new AssertionError(
            "expected "
                + keys
                + " keys migrated, got "
                + report
                + " and "
                + (sink.objects() - before)
                + " at the sink");
      }
      return measured;
    }

    @Override
    public void close() {
      env.close();
    }
  }

  private static void rawEmbedder(EmbedderPort embedder, List<String> sentences) {
    for (int i = 0; i < sentences.size(); i += BATCH) {
      embedder.embed(sentences.subList(i, Math.min(sentences.size(), i + BATCH)));
    }
  }

  /** A memory item's text of 12 to 27 words, different for every key. */
  static String text(int i) {
    StringBuilder b = new StringBuilder("Note ").append(i).append(':');
    long x = i * 2654435761L + 12345;
    int words = 12 + (int) Math.floorMod(x, 16);
    for (int w = 0; w < words; w++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      b.append(' ').append(WORDS[(int) Math.floorMod(x >>> 33, WORDS.length)]);
    }
    return b.append('.').toString();
  }

  /** Makes {@code memory:*} hold exactly {@code keys} items (keys 0..n-1), plus 10 % other keys. */
  private static void seed(RedisTestServer redis, int keys) {
    long start = System.nanoTime();
    try (Jedis jedis = new Jedis("127.0.0.1", redis.port(), 60_000)) {
      jedis.flushAll();
      Pipeline pipe = jedis.pipelined();
      for (int i = 0; i < keys; i++) {
        pipe.set(
            String.format("memory:thread-%03d:%07d", i % 500, i),
            "{\"text\":\""
                + text(i)
                + "\",\"threadId\":\"thread-"
                + (i % 500)
                + "\",\"speaker\":\"user\",\"domain\":\"ops\",\"timestamp\":\"2025-06-01T10:00:00Z\"}");
        if (i % 10 == 0) {
          pipe.hset("billing:" + i, "amount", "10.00");
        }
        if (i % 10_000 == 9_999) {
          pipe.sync();
        }
      }
      pipe.sync();
      pipe.close();
    }
    print("seeded %,d memory keys in %.1f s", keys, (System.nanoTime() - start) / 1e9);
  }

  private static void print(String format, Object... args) {
    System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  /** Deterministic unit vectors from a hash of the text: costs microseconds, not milliseconds. */
  static final class FastEmbedder implements EmbedderPort {
    @Override
    public int dimensions() {
      return 384;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>(texts.size());
      for (String t : texts) {
        float[] v = new float[384];
        long x = t.hashCode();
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
          x = x * 6364136223846793005L + 1442695040888963407L;
          v[d] = (float) ((x >>> 40) / (double) (1 << 24) - 0.5);
          norm += v[d] * v[d];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
          v[d] *= scale;
        }
        out.add(v);
      }
      return out;
    }
  }

  /** Peak heap: the pools' peak (garbage included) and the largest heap left after a collection. */
  static final class HeapWatch {
    private final AtomicLong maxAfterGc = new AtomicLong();

    HeapWatch() {
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc)
            .addNotificationListener(
                (notification, handback) -> {
                  if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      notification.getType())) {
                    return;
                  }
                  var info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long used = 0;
                  for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    var after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (pool.getType() == MemoryType.HEAP && after != null) {
                      used += after.getUsed();
                    }
                  }
                  maxAfterGc.accumulateAndGet(used, Math::max);
                },
                null,
                null);
      }
    }

    void reset() {
      System.gc();
      maxAfterGc.set(0);
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    String describe(String what) {
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      return String.format(
          Locale.ROOT,
          "%-32s peak %,d MiB used (garbage included), at most %,d MiB live after a GC",
          what,
          peak >> 20,
          maxAfterGc.get() >> 20);
    }
  }

  /**
   * Just enough of Weaviate for a migration: the Session class (multi-tenant), its tenant, and a
   * batch endpoint that counts objects and echoes their ids without keeping them.
   */
  static final class Sink implements AutoCloseable {
    private static final byte[] ID = "\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_LENGTH = 36;
    private final HttpServer server;
    private final AtomicLong objects = new AtomicLong();

    Sink() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long objects() {
      return objects.get();
    }

    void reset() {
      objects.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String answer;
        if (method.equals("POST") && path.equals("/v1/batch/objects")) {
          answer = echoIds(exchange.getRequestBody());
        } else if (path.equals("/v1/schema/Session")) {
          answer =
              "{\"class\":\"Session\",\"description\":\"bench\",\"multiTenancyConfig\":{\"enabled\":true}}";
        } else if (path.equals("/v1/meta")) {
          answer = "{\"version\":\"1.30.0\"}";
        } else if (method.equals("HEAD")) {
          answer = null; // the tenant exists
        } else {
          answer = "{\"data\":{\"Get\":{\"Session\":[]}}}";
        }
        byte[] bytes = answer == null ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          exchange.getResponseBody().write(bytes);
        }
      }
    }

    /**
     * Streams the batch body and answers SUCCESS for each {@code "id":"…"} in it, without keeping
     * the body (a real Weaviate runs elsewhere; this JVM's CPU is the migration's).
     */
    private String echoIds(InputStream body) throws IOException {
      StringBuilder out = new StringBuilder("[");
      byte[] buffer = new byte[64 * 1024];
      int matched = 0; // how much of ID the bytes just read end with
      int idLength = -1; // >= 0 while reading an id
      char[] id = new char[UUID_LENGTH];
      for (int n = body.read(buffer); n > 0; n = body.read(buffer)) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (idLength >= 0) {
            id[idLength++] = (char) b;
            if (idLength == UUID_LENGTH) {
              out.append(out.length() > 1 ? "," : "")
                  .append("{\"id\":\"")
                  .append(id)
                  .append("\",\"result\":{\"status\":\"SUCCESS\"}}");
              objects.incrementAndGet();
              idLength = -1;
            }
          } else if (b == ID[matched]) {
            if (++matched == ID.length) {
              matched = 0;
              idLength = 0;
            }
          } else {
            matched = b == ID[0] ? 1 : 0;
          }
        }
      }
      return out.append(']').toString();
    }

    @Override
    public void close() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }
}
