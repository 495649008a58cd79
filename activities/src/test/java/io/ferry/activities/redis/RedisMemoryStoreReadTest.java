package io.ferry.activities.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.MemoryStorePort.ScanPage;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import io.ferry.plan.MemoryStoreTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * How {@link RedisMemoryStore#read} reads a page from a real Redis: every key by its type whatever
 * the page mixes, and in one pipelined round trip when the page is all of the kind the store's last
 * page was (counted with Redis's own command statistics).
 */
class RedisMemoryStoreReadTest {

  private static RedisTestServer server;
  private static Jedis admin;
  private RedisMemoryStore store;
  private MemoryStoreTarget target;

  @BeforeAll
  static void startRedis() {
    server = RedisTestServer.start(RedisTestServer.Options.plain());
    admin = new Jedis("127.0.0.1", server.port());
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

  @BeforeEach
  void newStore() {
    store = new RedisMemoryStore(SecretResolver.withEnvironment(n -> null));
    target = new MemoryStoreTarget(server.url(0), null);
  }

  @AfterEach
  void flush() {
    admin.flushAll();
    store.close();
  }

  /** Strings, hashes, a list, a set, a sorted set and a missing key, interleaved. */
  private Map<String, StoredValue> seedMixedPage() {
    Map<String, StoredValue> expected = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      admin.set("mixed:s" + i, "{\"text\":\"item " + i + "\"}");
      expected.put("mixed:s" + i, new StoredValue.Text("{\"text\":\"item " + i + "\"}"));
      admin.hset("mixed:h" + i, Map.of("user", "u" + i, "text", "héllo " + i));
      expected.put(
          "mixed:h" + i, new StoredValue.Hash(Map.of("user", "u" + i, "text", "héllo " + i)));
    }
    admin.rpush("mixed:list", "a", "b");
    expected.put("mixed:list", new StoredValue.Other("list"));
    admin.sadd("mixed:set", "a");
    expected.put("mixed:set", new StoredValue.Other("set"));
    admin.zadd("mixed:zset", 1, "a");
    expected.put("mixed:zset", new StoredValue.Other("zset"));
    return expected;
  }

  private static List<String> keysWithAMissingOne(Map<String, StoredValue> expected) {
    List<String> keys = new ArrayList<>(expected.keySet());
    keys.add(7, "mixed:missing");
    return keys;
  }

  @Test
  void read_mixedPage_answersEveryKeyByItsType_inTheOrderAsked_hashesTriedFirst() {
    Map<String, StoredValue> expected = seedMixedPage();

    Map<String, StoredValue> values = store.read(target, keysWithAMissingOne(expected));

    assertThat(values).containsExactlyEntriesOf(expected);
  }

  @Test
  void read_mixedPage_answersEveryKeyByItsType_afterPagesOfStrings() {
    admin.set("memory:a", "{\"text\":\"a\"}");
    admin.set("memory:b", "{\"text\":\"b\"}");
    store.read(target, List.of("memory:a", "memory:b")); // the store now tries GET first
    Map<String, StoredValue> expected = seedMixedPage();
    resetStats();

    Map<String, StoredValue> values = store.read(target, keysWithAMissingOne(expected));

    assertThat(values).containsExactlyEntriesOf(expected);
    assertThat(calls("get")).isEqualTo(expected.size() + 1);
    assertThat(calls("hgetall")).isEqualTo(20 + 3); // the hashes and the three other types
    assertThat(calls("type")).isEqualTo(3);
  }

  @Test
  void read_keysDeletedBetweenScanAndRead_areLeftOut() {
    Map<String, StoredValue> expected = seedMixedPage();
    ScanPage page = store.scan(target, "mixed:*", "0", 1000);
    assertThat(page.keys()).hasSize(expected.size());
    admin.del("mixed:s3", "mixed:h4", "mixed:list");
    expected.keySet().removeAll(List.of("mixed:s3", "mixed:h4", "mixed:list"));

    Map<String, StoredValue> values = store.read(target, page.keys());

    assertThat(values).isEqualTo(expected);
  }

  @Test
  void read_pageOfHashes_isOneHgetallPerKey_andNothingElse() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      admin.hset("session:" + i, Map.of("user", "u" + i));
      keys.add("session:" + i);
    }
    resetStats();

    Map<String, StoredValue> values = store.read(target, keys);

    assertThat(values)
        .hasSize(100)
        .allSatisfy((k, v) -> assertThat(v).isInstanceOf(StoredValue.Hash.class));
    assertThat(calls("hgetall")).isEqualTo(100);
    assertThat(calls("get")).isZero();
    assertThat(calls("type")).isZero();
  }

  @Test
  void read_pageOfStrings_afterAPageOfStrings_isOneGetPerKey_andNothingElse() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      admin.set("memory:" + i, "{\"text\":\"item " + i + "\"}");
      (i < 50 ? first : second).add("memory:" + i);
    }
    assertThat(store.read(target, first)).hasSize(50);
    resetStats();

    Map<String, StoredValue> values = store.read(target, second);

    assertThat(values)
        .hasSize(50)
        .allSatisfy((k, v) -> assertThat(v).isInstanceOf(StoredValue.Text.class));
    assertThat(calls("get")).isEqualTo(50);
    assertThat(calls("hgetall")).isZero();
    assertThat(calls("type")).isZero();
  }

  @Test
  void read_pageOfHashes_afterPagesOfStrings_readsThemAll_andGoesBackToHgetallFirst() {
    for (int i = 0; i < 10; i++) {
      admin.set("memory:" + i, "x" + i);
      admin.hset("session:" + i, Map.of("user", "u" + i));
    }
    List<String> strings = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      strings.add("memory:" + i);
      hashes.add("session:" + i);
    }
    store.read(target, strings);

    assertThat(store.read(target, hashes)).hasSize(10);
    resetStats();
    assertThat(store.read(target, hashes)).hasSize(10);

    assertThat(calls("hgetall")).isEqualTo(10);
    assertThat(calls("get")).isZero();
  }

  private static void resetStats() {
    admin.configResetStat();
  }

  /** Calls of a command since the last reset, from {@code INFO commandstats}. */
  private static long calls(String command) {
    for (String line : admin.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        String calls = line.substring(line.indexOf("calls=") + 6);
        return Long.parseLong(calls.substring(0, calls.indexOf(',')));
      }
    }
    return 0;
  }
}
