package io.ferry.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.MemoryStorePort.ScanPage;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** {@link RedisMemoryStore} against a real Redis server with a password and a TLS port. */
class RedisMemoryStoreTest {

  private static final String PASSWORD = "s3cret-for-tests";
  private static RedisTestServer server;
  private static Jedis admin;

  private final SecretResolver secrets =
      SecretResolver.withEnvironment(Map.of("REDIS_PASSWORD", PASSWORD, "WRONG", "nope")::get);
  private final List<RedisMemoryStore> stores = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    server =
        RedisTestServer.start(RedisTestServer.Options.plain().withPassword(PASSWORD).withTls());
    admin =
        new Jedis(
            new HostAndPort("127.0.0.1", server.port()),
            DefaultJedisClientConfig.builder().password(PASSWORD).build());
  }

  @AfterAll
  static void stopRedis() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void flush() {
    admin.flushAll();
    stores.forEach(RedisMemoryStore::close);
  }

  private RedisMemoryStore store() {
    RedisMemoryStore store = new RedisMemoryStore(secrets, server.caFile());
    stores.add(store);
    return store;
  }

  private static MemoryStoreTarget target(String url) {
    return new MemoryStoreTarget(url, SecretRef.of("env:REDIS_PASSWORD"));
  }

  @Test
  void scan_followsTheCursorToZero_andReturnsEveryMatchingKey() {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 1500; i++) {
      admin.set("memory:" + i, "{\"text\":\"item " + i + "\"}");
      expected.add("memory:" + i);
      admin.set("other:" + i, "x");
    }
    RedisMemoryStore store = store();
    MemoryStoreTarget target = target(server.url(0));

    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int pages = 0;
    do {
      ScanPage page = store.scan(target, "memory:*", cursor, 100);
      seen.addAll(page.keys());
      cursor = page.cursor();
      pages++;
    } while (!"0".equals(cursor));

    assertThat(seen).isEqualTo(expected);
    assertThat(pages).isGreaterThan(10);
  }

  @Test
  void read_answersStringsHashesAndOtherTypesInTheOrderAsked_skippingMissingKeys() {
    admin.set("memory:a", "{\"text\":\"a\"}");
    admin.hset("billing:1", Map.of("amount", "10.00", "currency", "EUR"));
    admin.rpush("memory:list", "x", "y");

    Map<String, StoredValue> values =
        store()
            .read(
                target(server.url(0)), List.of("memory:list", "missing", "billing:1", "memory:a"));

    assertThat(values)
        .containsExactly(
            Map.entry("memory:list", new StoredValue.Other("list")),
            Map.entry(
                "billing:1", new StoredValue.Hash(Map.of("amount", "10.00", "currency", "EUR"))),
            Map.entry("memory:a", new StoredValue.Text("{\"text\":\"a\"}")));
  }

  @Test
  void delete_removesTheKeys_andCountsThoseThatExisted() {
    admin.set("memory:1", "a");
    admin.set("memory:2", "b");

    long deleted =
        store().delete(target(server.url(0)), List.of("memory:1", "memory:2", "memory:3"));

    assertThat(deleted).isEqualTo(2);
    assertThat(admin.exists("memory:1", "memory:2")).isZero();
  }

  @Test
  void databaseIndex_comesFromTheUrlPath() {
    admin.select(3);
    admin.set("memory:in-db-3", "x");
    admin.select(0);

    RedisMemoryStore store = store();
    assertThat(store.read(target(server.url(3)), List.of("memory:in-db-3"))).hasSize(1);
    assertThat(store.read(target(server.url(0)), List.of("memory:in-db-3"))).isEmpty();
  }

  @Test
  void tls_withTheServersCaFile_readsOverRediss() {
    admin.set("memory:tls", "over tls");

    Map<String, StoredValue> values = store().read(target(server.tlsUrl(0)), List.of("memory:tls"));

    assertThat(values).containsEntry("memory:tls", new StoredValue.Text("over tls"));
  }

  @Test
  void tls_withOnlyTheJdkTrustStore_refusesTheSelfSignedServer() {
    RedisMemoryStore jdkTrustOnly = new RedisMemoryStore(secrets);
    stores.add(jdkTrustOnly);

    Throwable thrown =
        catchThrowable(() -> jdkTrustOnly.read(target(server.tlsUrl(0)), List.of("memory:tls")));

    assertThat(thrown).isNotNull().isNotInstanceOf(ApplicationFailure.class);
    assertThat(causes(thrown)).anyMatch(t -> t instanceof javax.net.ssl.SSLException);
  }

  @Test
  void wrongPassword_isANonRetryableAuthenticationFailure_namingTheReference() {
    MemoryStoreTarget wrong = new MemoryStoreTarget(server.url(0), SecretRef.of("env:WRONG"));

    Throwable thrown = catchThrowable(() -> store().scan(wrong, "memory:*", "0", 10));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.getType()).isEqualTo(FailureTypes.AUTH);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("env:WRONG").doesNotContain("nope");
  }

  @Test
  void noPassword_whenTheServerWantsOne_isAnAuthenticationFailure() {
    MemoryStoreTarget none = new MemoryStoreTarget(server.url(0), null);

    Throwable thrown = catchThrowable(() -> store().scan(none, "memory:*", "0", 10));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    assertThat(((ApplicationFailure) thrown).getType()).isEqualTo(FailureTypes.AUTH);
  }

  @Test
  void badUrl_isInvalidInputNamingTheField() {
    Throwable thrown =
        catchThrowable(() -> store().scan(target("redis://127.0.0.1:1/zero"), "m:*", "0", 1));

    assertThat(thrown).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown;
    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(failure.getOriginalMessage()).contains("memoryStore.url", "database number");
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
      out.add(c);
    }
    return out;
  }
}
