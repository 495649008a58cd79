package io.ferry.activities.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.embed.MiniLmEmbedder;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.activities.redis.RedisMemoryStore;
import io.ferry.activities.redis.RedisTestServer;
import io.ferry.activities.weaviate.WeaviateRest;
import io.ferry.activities.weaviate.WeaviateStandIn;
import io.ferry.contract.DataActivities;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.contract.DataActivities.CollectionsRequest;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.ferry.contract.DataActivities.MigrationReport;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.WeaviateTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code migrateMemory} end to end on real adapters: a real Redis, the real MiniLM embedder, and
 * the Weaviate client against the stand-in that checks every request against Weaviate's reference.
 */
class MemoryMigrationEndToEndTest {

  private static final int ITEMS = 200;
  private static final int BATCH = 30;
  private static final String TENANT = "20250602";

  private static RedisTestServer redis;
  private static MiniLmEmbedder embedder;
  private static RedisMemoryStore store;

  private final WeaviateStandIn weaviate = new WeaviateStandIn();
  private final WeaviateRest weaviateAdapter =
      new WeaviateRest(SecretResolver.withEnvironment(n -> null));
  private final WeaviateTarget target = new WeaviateTarget(weaviate.url(), null);
  private final List<TestActivityEnvironment> environments = new ArrayList<>();

  @BeforeAll
  static void seedRedis() {
    redis = RedisTestServer.start(RedisTestServer.Options.plain());
    embedder = new MiniLmEmbedder(2);
    store = new RedisMemoryStore(SecretResolver.withEnvironment(n -> null));
    try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
      for (int i = 0; i < ITEMS; i++) {
        jedis.set(
            String.format("memory:thread-%02d:%04d", i % 7, i),
            "{\"text\":\"note "
                + i
                + ": the deploy of service "
                + (i % 11)
                + " moved to Friday\",\"threadId\":\"thread-"
                + (i % 7)
                + "\",\"speaker\":\"user\",\"domain\":\"ops\",\"timestamp\":\"2025-06-01T10:00:00Z\"}");
      }
      jedis.set("memory:import:0001", "text=remember the milk; not JSON {");
      jedis.set("memory:import:0002", "{\"threadId\":\"thread-03\"}");
      jedis.rpush("memory:import:0003", "a", "list");
      for (int i = 0; i < 50; i++) {
        jedis.hset("billing:" + i, Map.of("amount", "10.00"));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (embedder != null) {
      embedder.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void close() {
    environments.forEach(TestActivityEnvironment::close);
    weaviate.close();
    assertThat(weaviate.violations()).isEmpty();
  }

  /** An activity environment running {@code migrateMemory} over {@code weaviatePort}. */
  private DataActivities activities(
      WeaviatePort weaviatePort, MigrationProgress resumeFrom, Consumer<MigrationProgress> beats) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    environments.add(env);
    env.registerActivitiesImplementations(
        new DataActivitiesImpl(null, weaviatePort, store, embedder, null));
    env.setActivityHeartbeatListener(MigrationProgress.class, beats::accept);
    if (resumeFrom != null) {
      env.setHeartbeatDetails(resumeFrom);
    }
    return env.newActivityStub(
        DataActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  private MemoryMigration migration() {
    return new MemoryMigration(
        new MemoryStoreTarget(redis.url(0), null),
        "memory:*",
        target,
        "Session",
        TENANT,
        BATCH,
        0.02,
        "weaviate-first-test/migrate-memory");
  }

  private void createSession(DataActivities data) {
    data.createCollections(
        new CollectionsRequest(
            target,
            List.of(
                new CollectionSpec(
                    "Session",
                    true,
                    Map.of(
                        "text", "text",
                        "threadId", "text",
                        "speaker", "text",
                        "domain", "text",
                        "timestamp", "date",
                        "sourceKey", "text"))),
            "weaviate-first-test/create-collections"));
  }

  @Test
  void migrate_embedsEveryWellFormedItemIntoTheTenant_andSetsAsideTheRest() {
    List<String> aheadOfUpserts = new ArrayList<>();
    AtomicInteger beats = new AtomicInteger();
    DataActivities data =
        activities(
            weaviateAdapter,
            null,
            beat -> {
              beats.incrementAndGet();
              if (beat.migrated() > weaviate.upsertedObjects()) {
                aheadOfUpserts.add(beat.toString());
              }
            });
    createSession(data);

    MigrationReport report = data.migrateMemory(migration());

    assertThat(report.scanned()).isEqualTo(ITEMS + 3);
    assertThat(report.migrated()).isEqualTo(ITEMS);
    assertThat(report.malformed()).isEqualTo(3);
    assertThat(report.setAside())
        .containsEntry("memory:import:0001", "not JSON")
        .containsEntry("memory:import:0002", "no text")
        .containsEntry("memory:import:0003", "not a string value (list)");
    var objects = weaviate.objects("Session", TENANT);
    assertThat(objects).hasSize(ITEMS);
    var one = objects.get(MemoryIds.forKey("memory:thread-03:0003").toString());
    assertThat(one.path("properties").path("sourceKey").asText())
        .isEqualTo("memory:thread-03:0003");
    assertThat(one.path("properties").path("text").asText()).startsWith("note 3:");
    double norm = 0;
    for (var x : one.path("vector")) {
      norm += x.asDouble() * x.asDouble();
    }
    assertThat(one.path("vector").size()).isEqualTo(384);
    assertThat(norm).isBetween(0.99, 1.01);
    assertThat(beats.get()).isPositive();
    assertThat(aheadOfUpserts).as("heartbeats claiming more than was upserted").isEmpty();
    assertThat(weaviate.upsertedObjects()).isEqualTo(ITEMS);

    MigrationReport again = activities(weaviateAdapter, null, b -> {}).migrateMemory(migration());

    assertThat(again.migrated()).isEqualTo(ITEMS);
    assertThat(weaviate.objects("Session", TENANT)).hasSize(ITEMS);
  }

  @Test
  void workerDiesAfterAnUpsert_retryResumesFromTheLastHeartbeat_redoingAtMostThatBatch() {
    createSession(activities(weaviateAdapter, null, b -> {}));
    AtomicReference<MigrationProgress> lastBeat = new AtomicReference<>(MigrationProgress.START);
    AtomicInteger upserts = new AtomicInteger();
    AtomicInteger lostBatch = new AtomicInteger();
    // The fourth upsert reaches Weaviate, then the worker "dies" before it can heartbeat.
    WeaviatePort dying =
        intercepting(
            (objects) -> {
              if (upserts.incrementAndGet() == 4) {
                lostBatch.set(objects.size());
                throw new IllegalStateException("worker died after the upsert");
              }
            });

    Throwable firstAttempt =
        catchThrowable(() -> activities(dying, null, lastBeat::set).migrateMemory(migration()));

    assertThat(firstAttempt).isNotNull();
    assertThat(weaviate.objects("Session", TENANT)).hasSizeLessThan(ITEMS);
    int sentByFirstAttempt = weaviate.upsertedObjects();

    MigrationReport report =
        activities(weaviateAdapter, lastBeat.get(), b -> {}).migrateMemory(migration());

    assertThat(report.migrated()).isEqualTo(ITEMS);
    assertThat(report.scanned()).isEqualTo(ITEMS + 3);
    assertThat(report.malformed()).isEqualTo(3);
    assertThat(weaviate.objects("Session", TENANT)).hasSize(ITEMS);
    // The retry sent only what the first attempt had not, plus at most the batch in flight.
    assertThat(weaviate.upsertedObjects() - sentByFirstAttempt)
        .isBetween(ITEMS - sentByFirstAttempt, ITEMS - sentByFirstAttempt + lostBatch.get());
  }

  @Test
  void cancelledMidway_stopsAtAHeartbeat_andTheRetryRedoesAtMostOneBatch() {
    createSession(activities(weaviateAdapter, null, b -> {}));
    AtomicReference<MigrationProgress> lastBeat = new AtomicReference<>(MigrationProgress.START);
    AtomicReference<TestActivityEnvironment> env = new AtomicReference<>();
    AtomicInteger upserts = new AtomicInteger();
    AtomicInteger firstBatch = new AtomicInteger();
    WeaviatePort cancelling =
        intercepting(
            objects -> {
              if (upserts.incrementAndGet() == 1) {
                firstBatch.set(objects.size());
                env.get().requestCancelActivity(); // the heartbeat after this upsert learns of it
              }
            });
    DataActivities data = activities(cancelling, null, lastBeat::set);
    env.set(environments.get(environments.size() - 1));

    Throwable firstAttempt = catchThrowable(() -> data.migrateMemory(migration()));

    assertThat(firstAttempt).isNotNull();
    assertThat(weaviate.objects("Session", TENANT)).hasSizeLessThan(ITEMS);

    MigrationReport report =
        activities(weaviateAdapter, lastBeat.get(), b -> {}).migrateMemory(migration());

    assertThat(report.migrated()).isEqualTo(ITEMS);
    assertThat(weaviate.objects("Session", TENANT)).hasSize(ITEMS);
    assertThat(weaviate.upsertedObjects()).isLessThanOrEqualTo(ITEMS + firstBatch.get());
  }

  /** The real adapter, with {@code afterUpsert} run after each upsert has reached Weaviate. */
  private WeaviatePort intercepting(Consumer<Collection<?>> afterUpsert) {
    return (WeaviatePort)
        Proxy.newProxyInstance(
            WeaviatePort.class.getClassLoader(),
            new Class<?>[] {WeaviatePort.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(weaviateAdapter, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("upsert")) {
                afterUpsert.accept((Collection<?>) args[3]);
              }
              return result;
            });
  }
}
