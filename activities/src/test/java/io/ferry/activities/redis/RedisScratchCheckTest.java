package io.ferry.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.platform.ManagedDatabaseActivitiesImpl;
import io.ferry.activities.port.ManagedDatabasePort;
import io.ferry.activities.port.MemoryStorePort.ScratchRun;
import io.ferry.activities.port.PgDumpPort;
import io.ferry.activities.port.PostgresPort;
import io.ferry.contract.ManagedDatabaseActivities;
import io.ferry.contract.ManagedDatabaseActivities.ValkeyCheck;
import io.ferry.contract.ManagedDatabaseActivities.ValkeyCheckRequest;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * {@link RedisMemoryStore#exerciseScratch} and the app-platform Valkey check against a real Redis
 * server over TLS, with a password, on database 1.
 */
class RedisScratchCheckTest {

  private static final String PASSWORD = "s3cret-for-scratch";
  private static final String PREFIX = "ferry-scratch:wf-1:run-1:";
  private static RedisTestServer server;
  private static Jedis db1;

  private final SecretResolver secrets =
      SecretResolver.withEnvironment(Map.of("VALKEY_PASSWORD", PASSWORD)::get);
  private RedisMemoryStore store;

  @BeforeAll
  static void startRedis() {
    server =
        RedisTestServer.start(RedisTestServer.Options.plain().withPassword(PASSWORD).withTls());
    db1 =
        new Jedis(
            new HostAndPort("127.0.0.1", server.port()),
            DefaultJedisClientConfig.builder().password(PASSWORD).database(1).build());
  }

  @AfterAll
  static void stopRedis() {
    if (db1 != null) {
      db1.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void flush() {
    db1.flushAll();
    if (store != null) {
      store.close();
    }
  }

  private RedisMemoryStore store() {
    store = new RedisMemoryStore(secrets, server.caFile());
    return store;
  }

  private static MemoryStoreTarget valkey() {
    return new MemoryStoreTarget(server.tlsUrl(1), SecretRef.of("env:VALKEY_PASSWORD"));
  }

  @Test
  void everyRoundIsTimed_andNoScratchKeyIsLeft_whileOtherKeysStay() {
    db1.set("memory:keep", "mine");
    db1.set("ferry-scratch:other-run:counter", "7");
    db1.set("ferry-scratch:wf-1:run-10:list", "a neighbour whose name extends the prefix");

    ScratchRun run = store().exerciseScratch(valkey(), PREFIX, 25);

    assertThat(run.roundLatencies()).hasSize(25).allMatch(d -> d.toNanos() > 0);
    assertThat(run.keysLeft()).isZero();
    assertThat(db1.keys("ferry-scratch:wf-1:run-1:*")).isEmpty();
    assertThat(db1.keys("*"))
        .containsExactlyInAnyOrder(
            "memory:keep", "ferry-scratch:other-run:counter", "ferry-scratch:wf-1:run-10:list");
    assertThat(db1.get("ferry-scratch:other-run:counter")).isEqualTo("7");
  }

  @Test
  void theKeysAreRealWhileTheRoundsRun_onDatabaseOneOnly() {
    try (Jedis db0 =
        new Jedis(
            new HostAndPort("127.0.0.1", server.port()),
            DefaultJedisClientConfig.builder().password(PASSWORD).database(0).build())) {
      db0.set(PREFIX + "counter", "not a number, and on another database");

      ScratchRun run = store().exerciseScratch(valkey(), PREFIX, 3);

      assertThat(run.roundLatencies()).hasSize(3);
      assertThat(db0.get(PREFIX + "counter")).isEqualTo("not a number, and on another database");
    }
  }

  @Test
  void aRoundThatFails_namesTheCommand_andStillDeletesEveryScratchKey() {
    db1.hset(PREFIX + "counter", "field", "a hash where INCR expects a number");
    for (int i = 0; i < 1200; i++) {
      db1.set(PREFIX + "extra:" + i, "left by someone under the run's prefix");
    }
    db1.set("memory:keep", "mine");

    Throwable thrown = catchThrowable(() -> store().exerciseScratch(valkey(), PREFIX, 5));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("INCR " + PREFIX + "counter failed: WRONGTYPE");
    assertThat(db1.keys(PREFIX + "*")).isEmpty();
    assertThat(db1.keys("*")).containsExactly("memory:keep");
  }

  @Test
  void aListLeftByAnInterruptedAttempt_doesNotFailTheRetry() {
    db1.lpush(PREFIX + "list", "round-0");

    ScratchRun run = store().exerciseScratch(valkey(), PREFIX, 2);

    assertThat(run.roundLatencies()).hasSize(2);
    assertThat(db1.keys(PREFIX + "*")).isEmpty();
  }

  @Test
  void globCharactersInThePrefix_matchOnlyThemselves() {
    String prefix = "ferry-scratch:wf*[1]?:";
    db1.set("ferry-scratch:wfX1Y:counter", "7");

    ScratchRun run = store().exerciseScratch(valkey(), prefix, 2);

    assertThat(run.keysLeft()).isZero();
    assertThat(db1.keys("*")).containsExactly("ferry-scratch:wfX1Y:counter");
  }

  @Test
  void aPrefixWithoutTheColon_isRefusedBeforeAnyCommand() {
    db1.set("ferry-scratch:wf-1-and-more", "x");

    Throwable thrown =
        catchThrowable(() -> store().exerciseScratch(valkey(), "ferry-scratch:wf-1", 2));

    assertThat(((ApplicationFailure) thrown).getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(((ApplicationFailure) thrown).getOriginalMessage()).contains("prefix must end");
    assertThat(db1.exists("ferry-scratch:wf-1-and-more")).isTrue();
  }

  @Test
  void theAppPlatformValkeyCheck_overTlsAsAnActivity_measuresAndCleansUp() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(
          new ManagedDatabaseActivitiesImpl(
              untouched(PostgresPort.class),
              store(),
              untouched(ManagedDatabasePort.class),
              untouched(PgDumpPort.class),
              secrets,
              Clock.systemUTC()));
      ManagedDatabaseActivities databases =
          env.newActivityStub(
              ManagedDatabaseActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      db1.set("memory:keep", "mine");

      ValkeyCheck check =
          databases.checkValkey(
              new ValkeyCheckRequest(valkey(), PREFIX, 50, Duration.ofSeconds(5)));

      assertThat(check.rounds()).isEqualTo(50);
      assertThat(check.p95Ms()).isPositive().isLessThanOrEqualTo(5000);
      assertThat(check.limitMs()).isEqualTo(5000);
      assertThat(check.keysLeft()).isZero();
      assertThat(db1.keys("*")).isEqualTo(Set.of("memory:keep"));

      db1.hset(PREFIX + "counter", "f", "v");
      Throwable thrown =
          catchThrowable(
              () ->
                  databases.checkValkey(
                      new ValkeyCheckRequest(valkey(), PREFIX, 5, Duration.ofSeconds(5))));
      ApplicationFailure failure = (ApplicationFailure) ((ActivityFailure) thrown).getCause();
      assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
      assertThat(failure.getOriginalMessage()).contains("INCR " + PREFIX + "counter");
      assertThat(db1.keys("*")).isEqualTo(Set.of("memory:keep"));
    } finally {
      env.close();
    }
  }

  /** A port the Valkey check must not call: any call fails the test. */
  private static <T> T untouched(Class<T> port) {
    return port.cast(
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString")
                    ? "untouched " + port.getSimpleName()
                    : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy)
                        : proxy == args[0];
              }
              throw new AssertionError(
                  "the Valkey check called " + port.getSimpleName() + "." + method.getName());
            }));
  }
}
