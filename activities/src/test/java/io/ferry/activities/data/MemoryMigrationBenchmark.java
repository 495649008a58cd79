package io.ferry.activities.data;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.embed.MiniLmEmbedder;
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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * On demand, not in {@code verify} (see README "Benchmarks"): memory-migration throughput against
 * the raw embedder, and the heap a migration needs as the key count grows.
 *
 * <p>Source: a real Redis ({@link RedisTestServer}). Target: the real {@link WeaviateRest} client
 * over HTTP to a thin local sink that only counts objects and echoes their ids (a real Weaviate
 * runs on another machine; the validating stand-in would spend this machine's CPU checking 384
 * floats per object and keep every object in this JVM's heap).
 *
 * <p>Sizes: {@code -Dferry.bench.keys=100000} for the MiniLM run, {@code
 * -Dferry.bench.heapKeys=100000,1000000} for the heap runs with a fast deterministic embedder,
 * {@code -Dferry.bench.rawSentences=10000} for each raw embedder measurement, {@code
 * -Dferry.bench.rounds=3} alternations of the two.
 */
@org.junit.jupiter.api.Tag("benchmark")
class MemoryMigrationBenchmark {

  private static final int BATCH = 256;
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
    int keys = Integer.getInteger("ferry.bench.keys", 100_000);
    String heapKeys = System.getProperty("ferry.bench.heapKeys", "100000,1000000");
    int rawSentences = Integer.getInteger("ferry.bench.rawSentences", 10_000);
    int rounds = Integer.getInteger("ferry.bench.rounds", 3);
    HeapWatch heap = new HeapWatch();
    try (RedisTestServer redis = RedisTestServer.start(RedisTestServer.Options.plain());
        Sink sink = new Sink();
        MiniLmEmbedder miniLm = new MiniLmEmbedder()) {
      print(
          "machine: %d cores, max heap %d MiB, %s",
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20,
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      // Rounds alternate the raw embedder and the migration, so load from other processes on a
      // shared machine falls on both alike.
      double rawSeconds = 0;
      double migrationSeconds = 0;
      for (int round = 1; round <= rounds; round++) {
        double raw = rawEmbedder(miniLm, rawSentences);
        rawSeconds += rawSentences / raw;
        seed(redis, keys);
        heap.reset();
        Run real = migrate(redis, sink, miniLm, keys);
        migrationSeconds += real.seconds();
        print(
            "round %d: raw MiniLM %,.1f sentences/s; migration %,.1f keys/s (%,d keys, %.1f s): %.1f %%",
            round,
            raw,
            real.keysPerSecond(),
            keys,
            real.seconds(),
            100 * real.keysPerSecond() / raw);
        print(heap.describe(String.format("heap, %,d keys (MiniLM):", keys)));
      }
      double raw = rounds * rawSentences / rawSeconds;
      double migration = rounds * (double) keys / migrationSeconds;
      print("raw MiniLM embedder:            %,9.1f sentences/s (batches of %d)", raw, BATCH);
      print("migration with MiniLM:          %,9.1f keys/s", migration);
      print("migration / raw embedder:       %9.1f %% (target >= 90 %%)", 100 * migration / raw);

      for (String size : heapKeys.split(",")) {
        int n = Integer.parseInt(size.trim());
        seed(redis, n);
        sink.reset();
        heap.reset();
        Run large = migrate(redis, sink, new FastEmbedder(), n);
        print(
            "migration, fast embedder:       %,9.1f keys/s (%,d keys in %.1f s; hash vectors, not"
                + " MiniLM, which would take %.0f min for them here)",
            large.keysPerSecond(), n, large.seconds(), n / raw / 60);
        print(heap.describe(String.format("heap, %,d keys (fast embedder):", n)));
      }
    }
  }

  private record Run(MigrationReport report, double seconds) {
    double keysPerSecond() {
      return report.scanned() / seconds;
    }
  }

  private static Run migrate(RedisTestServer redis, Sink sink, EmbedderPort embedder, int keys) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      RedisMemoryStore store = new RedisMemoryStore(SecretResolver.withEnvironment(n -> null));
      env.registerActivitiesImplementations(
          new DataActivitiesImpl(
              null,
              new WeaviateRest(SecretResolver.withEnvironment(n -> null)),
              store,
              embedder,
              null));
      DataActivities data =
          env.newActivityStub(
              DataActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofHours(2))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      long start = System.nanoTime();
      MigrationReport report =
          data.migrateMemory(
              new MemoryMigration(
                  new MemoryStoreTarget(redis.url(0), null),
                  "memory:*",
                  new WeaviateTarget(sink.url(), null),
                  "Session",
                  "20250602",
                  BATCH,
                  0.01,
                  "bench/migrate-memory"));
      double seconds = (System.nanoTime() - start) / 1e9;
      store.close();
      if (report.scanned() != keys || sink.objects() < keys) {
        throw new AssertionError(
            "expected "
                + keys
                + " keys migrated, got "
                + report
                + " and "
                + sink.objects()
                + " at the sink");
      }
      return new Run(report, seconds);
    } finally {
      env.close();
    }
  }

  private static double rawEmbedder(EmbedderPort embedder, int sentences) {
    List<String> texts = new ArrayList<>(BATCH);
    long start = System.nanoTime();
    for (int i = 0; i < sentences; i++) {
      texts.add(text(i));
      if (texts.size() == BATCH || i == sentences - 1) {
        embedder.embed(texts);
        texts.clear();
      }
    }
    return sentences / ((System.nanoTime() - start) / 1e9);
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
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
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
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String answer;
        if (method.equals("POST") && path.equals("/v1/batch/objects")) {
          StringBuilder out = new StringBuilder("[");
          Matcher m = ID.matcher(body);
          while (m.find()) {
            out.append(out.length() > 1 ? "," : "")
                .append("{\"id\":\"")
                .append(m.group(1))
                .append("\",\"result\":{\"status\":\"SUCCESS\"}}");
            objects.incrementAndGet();
          }
          answer = out.append(']').toString();
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

    @Override
    public void close() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }
}
