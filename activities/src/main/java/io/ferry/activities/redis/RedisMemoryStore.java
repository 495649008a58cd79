package io.ferry.activities.redis;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.plan.MemoryStoreTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link MemoryStorePort} over Jedis: one connection pool per store URL and password reference.
 * Reads are pipelined: one round trip of HGETALLs (or of GETs, when the store's last page was
 * mostly strings), a second of the other command only for the keys that answered WRONGTYPE, and a
 * TYPE round only for keys of other types (lists, sets, ...). Connection trouble is left to
 * Temporal's retries; a refused password is a non-retryable {@code AuthenticationFailed}.
 */
public final class RedisMemoryStore implements MemoryStorePort, AutoCloseable {

  private static final int DEFAULT_PORT = 6379;
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int SOCKET_TIMEOUT_MS = 30_000;
  private static final int POOL_SIZE = 8;
  private static final int SCAN_COUNT = 500;
  private static final long SCRATCH_TTL_S = 60;

  private final SecretResolver secrets;
  private final SSLSocketFactory tls;
  private final Map<MemoryStoreTarget, JedisPooled> pools = new ConcurrentHashMap<>();
  private final Map<MemoryStoreTarget, Boolean> mostlyStrings = new ConcurrentHashMap<>();

  /** Trusts the JDK's CA certificates for {@code rediss://}. */
  public RedisMemoryStore(SecretResolver secrets) {
    this(secrets, null);
  }

  /**
   * @param caFile PEM certificates trusted for {@code rediss://} besides the JDK's, or null
   */
  public RedisMemoryStore(SecretResolver secrets, Path caFile) {
    this.secrets = Failures.require("secrets", secrets);
    this.tls = RedisTls.socketFactory(caFile);
  }

  @Override
  public ScanPage scan(MemoryStoreTarget store, String pattern, String cursor, int count) {
    ScanParams params = new ScanParams().match(Failures.require("pattern", pattern));
    params.count(Math.max(1, count));
    ScanResult<String> page = call(store, r -> r.scan(cursor, params));
    return new ScanPage(List.copyOf(page.getResult()), page.getCursor());
  }

  @Override
  public Map<String, StoredValue> read(MemoryStoreTarget store, List<String> keys) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    boolean stringsFirst = Boolean.TRUE.equals(mostlyStrings.get(store));
    return call(
        store,
        redis -> {
          Map<String, StoredValue> values = new HashMap<>(keys.size() * 2);
          List<String> rest = readAs(redis, keys, stringsFirst, values);
          if (!rest.isEmpty()) {
            rest = readAs(redis, rest, !stringsFirst, values);
          }
          if (!rest.isEmpty()) {
            readOthers(redis, rest, values);
          }
          remember(store, values.values());
          // Answer in the order asked, as the port promises nothing else and callers batch by it.
          Map<String, StoredValue> ordered = new LinkedHashMap<>();
          keys.forEach(
              k -> {
                StoredValue v = values.get(k);
                if (v != null) {
                  ordered.put(k, v);
                }
              });
          return ordered;
        });
  }

  /**
   * One pipelined round trip of GET ({@code strings}) or HGETALL for every key; puts what they
   * answer (a missing key answers nil or an empty hash: it is left out) and returns the keys that
   * answered WRONGTYPE.
   */
  private static List<String> readAs(
      JedisPooled redis, List<String> keys, boolean strings, Map<String, StoredValue> values) {
    List<String> otherType = new ArrayList<>();
    try (AbstractPipeline pipe = (AbstractPipeline) redis.pipelined()) {
      List<Response<?>> answers = new ArrayList<>(keys.size());
      for (String key : keys) {
        answers.add(strings ? pipe.get(key) : pipe.hgetAll(key));
      }
      pipe.sync();
      for (int i = 0; i < keys.size(); i++) {
        Object answer;
        try {
          answer = answers.get(i).get();
        } catch (JedisDataException e) {
          if (!isWrongType(e)) {
            throw e;
          }
          otherType.add(keys.get(i));
          continue;
        }
        StoredValue value = strings ? text(answer) : hash(answer);
        if (value != null) {
          values.put(keys.get(i), value);
        }
      }
    }
    return otherType;
  }

  private static StoredValue text(Object answer) {
    return answer == null ? null : new StoredValue.Text((String) answer);
  }

  private static StoredValue hash(Object answer) {
    @SuppressWarnings("unchecked")
    Map<String, String> fields = (Map<String, String>) answer;
    return fields == null || fields.isEmpty()
        ? null
        : new StoredValue.Hash(Collections.unmodifiableMap(fields)); // Jedis's own map, not shared
  }

  /** Keys neither GET nor HGETALL could read: their type by name (a list, a set, ...). */
  private static void readOthers(
      JedisPooled redis, List<String> keys, Map<String, StoredValue> values) {
    List<Response<String>> types = new ArrayList<>(keys.size());
    try (AbstractPipeline pipe = (AbstractPipeline) redis.pipelined()) {
      keys.forEach(k -> types.add(pipe.type(k)));
      pipe.sync();
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String type = types.get(i).get();
      if ("string".equals(type) || "hash".equals(type)) {
        // written again with another type between the round trips: read as it is now
        Map<String, StoredValue> now = new HashMap<>();
        if (readAs(redis, List.of(key), "string".equals(type), now).isEmpty()) {
          values.putAll(now);
          continue;
        }
        type = redis.type(key);
      }
      if (!"none".equals(type)) {
        values.put(key, new StoredValue.Other(type));
      }
    }
  }

  /**
   * Which command the next read of this store tries first: a memory store's pages are strings, a
   * structured copy's hashes, so after one page each reads in one round trip (a copy and a memory
   * scan of one store at once may each pay a second round trip now and then, never a wrong value).
   */
  private void remember(MemoryStoreTarget store, Collection<StoredValue> values) {
    int strings = 0;
    int hashes = 0;
    for (StoredValue v : values) {
      if (v instanceof StoredValue.Text) {
        strings++;
      } else if (v instanceof StoredValue.Hash) {
        hashes++;
      }
    }
    if (strings != hashes) {
      mostlyStrings.put(store, strings > hashes);
    }
  }

  private static boolean isWrongType(JedisDataException e) {
    return e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE");
  }

  @Override
  public long delete(MemoryStoreTarget store, List<String> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    return call(store, r -> r.del(keys.toArray(String[]::new)));
  }

  @Override
  public ScratchRun exerciseScratch(MemoryStoreTarget store, String prefix, int rounds) {
    String match = scratchPattern(prefix);
    if (rounds < 1) {
      throw Failures.invalidInput("rounds must be 1 or more, was " + rounds);
    }
    return call(
        store,
        redis -> {
          List<Duration> latencies = new ArrayList<>(rounds);
          Throwable failure = null;
          try {
            clearInterruptedList(redis, prefix + "list");
            for (int round = 0; round < rounds; round++) {
              latencies.add(scratchRound(redis, prefix, round));
            }
          } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
          } finally {
            try {
              deleteMatching(redis, match);
            } catch (RuntimeException e) {
              if (failure == null) {
                throw e;
              }
              // The round's failure says what went wrong; the cleanup's is kept beside it.
              failure.addSuppressed(e);
            }
          }
          return new ScratchRun(List.copyOf(latencies), countMatching(redis, match));
        });
  }

  /**
   * The prefix as a SCAN pattern matching only keys that start with it: glob characters in it (a
   * workflow id may hold any) are escaped, so the pattern cannot reach a key outside the run.
   */
  static String scratchPattern(String prefix) {
    Failures.require("prefix", prefix);
    if (!prefix.endsWith(":")) {
      throw Failures.invalidInput("prefix must end with ':' (it names the run), was " + prefix);
    }
    StringBuilder pattern = new StringBuilder(prefix.length() + 1);
    for (char c : prefix.toCharArray()) {
      if ("*?[]\\".indexOf(c) >= 0) {
        pattern.append('\\');
      }
      pattern.append(c);
    }
    return pattern.append('*').toString();
  }

  /**
   * A list left by an attempt that stopped between LPUSH and RPOP would make RPOP answer its old
   * value; a key of another type stays, so LPUSH fails on it and says so.
   */
  private static void clearInterruptedList(JedisPooled redis, String list) {
    if ("list".equals(redis.type(list))) {
      redis.del(list);
    }
  }

  private static Duration scratchRound(JedisPooled redis, String prefix, int round) {
    String list = prefix + "list";
    String counter = prefix + "counter";
    String ttl = prefix + "ttl";
    String value = "round-" + round;
    long start = System.nanoTime();
    command("LPUSH", list, () -> redis.lpush(list, value));
    expect("RPOP", list, value, command("RPOP", list, () -> redis.rpop(list)));
    long counted = command("INCR", counter, () -> redis.incr(counter));
    expect(
        "GET", counter, Long.toString(counted), command("GET", counter, () -> redis.get(counter)));
    expect("SETEX", ttl, "OK", command("SETEX", ttl, () -> redis.setex(ttl, SCRATCH_TTL_S, value)));
    expect("GET", ttl, value, command("GET", ttl, () -> redis.get(ttl)));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Runs one command; an error answer (WRONGTYPE, OOM, ...) fails naming the command and key. */
  private static <T> T command(String name, String key, Supplier<T> command) {
    try {
      return command.get();
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("NOAUTH")) {
        throw e;
      }
      throw Failures.precondition(name + " " + key + " failed: " + e.getMessage());
    }
  }

  private static void expect(String name, String key, String expected, String answer) {
    if (!expected.equals(answer)) {
      throw Failures.precondition(
          name + " " + key + " answered " + answer + ", expected " + expected);
    }
  }

  /** SCAN MATCH + DEL page by page (never KEYS), so a big key space is not blocked or held. */
  private static void deleteMatching(JedisPooled redis, String match) {
    ScanParams params = new ScanParams().match(match).count(SCAN_COUNT);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = redis.scan(cursor, params);
      if (!page.getResult().isEmpty()) {
        redis.del(page.getResult().toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
  }

  private static long countMatching(JedisPooled redis, String match) {
    ScanParams params = new ScanParams().match(match).count(SCAN_COUNT);
    String cursor = ScanParams.SCAN_POINTER_START;
    long count = 0;
    do {
      ScanResult<String> page = redis.scan(cursor, params);
      count += page.getResult().size();
      cursor = page.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    return count;
  }

  private <T> T call(MemoryStoreTarget store, Function<JedisPooled, T> body) {
    try {
      return body.apply(pools.computeIfAbsent(store, this::open));
    } catch (JedisAccessControlException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "memory store " + store.url() + " refused the password " + store.password(),
          FailureTypes.AUTH);
    } catch (JedisDataException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("NOAUTH")) {
        throw ApplicationFailure.newNonRetryableFailure(
            "memory store "
                + store.url()
                + " wants a password; name it as memoryStore.password: env:NAME",
            FailureTypes.AUTH);
      }
      throw e;
    }
  }

  private JedisPooled open(MemoryStoreTarget store) {
    Endpoint endpoint = Endpoint.parse(store.url());
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(CONNECT_TIMEOUT_MS)
            .socketTimeoutMillis(SOCKET_TIMEOUT_MS)
            .database(endpoint.database())
            .clientName("ferry");
    if (store.password() != null) {
      config.password(secrets.resolve(store.password()));
    }
    if (endpoint.tls()) {
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      config.ssl(true).sslSocketFactory(tls).sslParameters(parameters);
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(POOL_SIZE);
    pool.setJmxEnabled(false);
    return new JedisPooled(pool, endpoint.address(), config.build());
  }

  @Override
  public void close() {
    pools.values().forEach(JedisPooled::close);
    pools.clear();
  }

  /** Host, port, database and TLS from {@code redis[s]://host[:port][/db]}. */
  record Endpoint(HostAndPort address, int database, boolean tls) {

    static Endpoint parse(String url) {
      URI uri;
      try {
        uri = new URI(Failures.require("memoryStore.url", url));
      } catch (URISyntaxException e) {
        throw Failures.invalidInput(
            "memoryStore.url " + url + " is not a URL; write it as redis://host:6379/0");
      }
      boolean tls = "rediss".equals(uri.getScheme());
      if (!tls && !"redis".equals(uri.getScheme())) {
        throw Failures.invalidInput(
            "memoryStore.url " + url + " must start with redis:// or rediss:// (TLS)");
      }
      if (uri.getHost() == null) {
        throw Failures.invalidInput(
            "memoryStore.url " + url + " has no host; write it as redis://host:6379/0");
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      int database;
      try {
        database = path.isEmpty() ? 0 : Integer.parseInt(path);
      } catch (NumberFormatException e) {
        throw Failures.invalidInput(
            "memoryStore.url " + url + ": the path must be a database number such as /0");
      }
      if (database < 0) {
        throw Failures.invalidInput("memoryStore.url " + url + ": database must be 0 or more");
      }
      int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
      return new Endpoint(new HostAndPort(uri.getHost(), port), database, tls);
    }
  }
}
