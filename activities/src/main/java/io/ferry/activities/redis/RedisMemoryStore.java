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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
 * Reads are pipelined: one round trip of GETs, a second of HGETALLs only for the keys that turned
 * out to be hashes. Connection trouble is left to Temporal's retries; a refused password is a
 * non-retryable {@code AuthenticationFailed}.
 */
public final class RedisMemoryStore implements MemoryStorePort, AutoCloseable {

  private static final int DEFAULT_PORT = 6379;
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int SOCKET_TIMEOUT_MS = 30_000;
  private static final int POOL_SIZE = 8;

  private final SecretResolver secrets;
  private final SSLSocketFactory tls;
  private final Map<MemoryStoreTarget, JedisPooled> pools = new ConcurrentHashMap<>();

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
    return call(
        store,
        redis -> {
          Map<String, StoredValue> values = new LinkedHashMap<>();
          List<String> notStrings = new ArrayList<>();
          try (AbstractPipeline pipe = (AbstractPipeline) redis.pipelined()) {
            List<Response<String>> gets = new ArrayList<>(keys.size());
            keys.forEach(k -> gets.add(pipe.get(k)));
            pipe.sync();
            for (int i = 0; i < keys.size(); i++) {
              try {
                String value = gets.get(i).get();
                if (value != null) {
                  values.put(keys.get(i), new StoredValue.Text(value));
                }
              } catch (JedisDataException e) {
                if (!isWrongType(e)) {
                  throw e;
                }
                notStrings.add(keys.get(i));
              }
            }
          }
          if (!notStrings.isEmpty()) {
            readOthers(redis, notStrings, values);
          }
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

  private static void readOthers(
      JedisPooled redis, List<String> keys, Map<String, StoredValue> values) {
    List<String> types = new ArrayList<>();
    try (AbstractPipeline pipe = (AbstractPipeline) redis.pipelined()) {
      List<Response<String>> answers = new ArrayList<>();
      keys.forEach(k -> answers.add(pipe.type(k)));
      pipe.sync();
      answers.forEach(a -> types.add(a.get()));
    }
    try (AbstractPipeline pipe = (AbstractPipeline) redis.pipelined()) {
      Map<String, Response<Map<String, String>>> hashes = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        String type = types.get(i);
        if ("hash".equals(type)) {
          hashes.put(keys.get(i), pipe.hgetAll(keys.get(i)));
        } else if (!"none".equals(type)) {
          values.put(keys.get(i), new StoredValue.Other(type));
        }
      }
      pipe.sync();
      hashes.forEach(
          (k, r) -> {
            Map<String, String> fields = r.get();
            if (fields != null && !fields.isEmpty()) {
              values.put(k, new StoredValue.Hash(Map.copyOf(fields)));
            }
          });
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
