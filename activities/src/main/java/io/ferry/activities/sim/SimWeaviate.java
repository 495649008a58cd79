package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.plan.WeaviateTarget;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Weaviate instances by URL. One at {@code http://host:port} answers only while a compose project
 * running a weaviate image is up on that host; its ready answer takes {@value #READY_MS} ms and a
 * near-vector query {@value #QUERY_MS} ms. Collections survive the project going down (the data
 * lives on the volume).
 */
final class SimWeaviate implements WeaviatePort {

  static final long READY_MS = 35;
  static final long QUERY_MS = 42;

  private final SimWorld world;
  private final Map<String, Map<String, Coll>> instances = new TreeMap<>();

  private static final class Coll {
    final CollectionSpec spec;
    final String description;
    final Map<String, Map<UUID, Map<String, Object>>> tenants = new TreeMap<>();

    Coll(CollectionSpec spec, String description) {
      this.spec = spec;
      this.description = description;
      if (!spec.multiTenant()) {
        tenants.put("", new LinkedHashMap<>());
      }
    }

    long count() {
      return tenants.values().stream().mapToLong(Map::size).sum();
    }
  }

  SimWeaviate(SimWorld world) {
    this.world = world;
  }

  @Override
  public Optional<Duration> ready(WeaviateTarget target) {
    synchronized (world) {
      return world.hosts.runsImage(host(target), "weaviate")
          ? Optional.of(Duration.ofMillis(READY_MS))
          : Optional.empty();
    }
  }

  private Map<String, Coll> instance(WeaviateTarget target) {
    if (ready(target).isEmpty()) {
      throw new IllegalStateException("connect to " + target.url() + " failed: Connection refused");
    }
    return instances.computeIfAbsent(base(target), u -> new TreeMap<>());
  }

  @Override
  public Optional<CollectionInfo> collection(WeaviateTarget target, String name) {
    synchronized (world) {
      Coll c = instance(target).get(name);
      return c == null
          ? Optional.empty()
          : Optional.of(new CollectionInfo(name, c.spec.multiTenant(), c.description));
    }
  }

  @Override
  public void createCollection(WeaviateTarget target, CollectionSpec spec, String description) {
    synchronized (world) {
      Map<String, Coll> colls = instance(target);
      if (colls.containsKey(spec.name())) {
        throw Failures.precondition("class name " + spec.name() + " already exists");
      }
      Coll c = new Coll(spec, description);
      colls.put(spec.name(), c);
      put(target, c);
    }
  }

  @Override
  public void deleteCollection(WeaviateTarget target, String name) {
    synchronized (world) {
      if (instance(target).remove(name) != null) {
        world.ledger.remove("collection", base(target) + "/" + name);
      }
    }
  }

  @Override
  public void ensureTenant(WeaviateTarget target, String collection, String tenant) {
    synchronized (world) {
      Coll c = require(target, collection);
      if (!c.spec.multiTenant()) {
        throw Failures.invalidInput("collection " + collection + " is not multi-tenant");
      }
      if (!c.tenants.containsKey(tenant)) {
        c.tenants.put(tenant, new LinkedHashMap<>());
        put(target, c);
      }
    }
  }

  @Override
  public void upsert(
      WeaviateTarget target, String collection, String tenant, Collection<VectorObject> objects) {
    synchronized (world) {
      Map<UUID, Map<String, Object>> shard = shard(target, collection, tenant);
      for (VectorObject o : objects) {
        shard.put(o.id(), o.properties());
      }
      put(target, require(target, collection));
    }
  }

  @Override
  public long delete(
      WeaviateTarget target, String collection, String tenant, Collection<UUID> ids) {
    synchronized (world) {
      Map<UUID, Map<String, Object>> shard =
          require(target, collection).tenants.get(tenant == null ? "" : tenant);
      if (shard == null) {
        return 0; // no such tenant: nothing of ours there
      }
      long deleted = ids.stream().filter(id -> shard.remove(id) != null).count();
      if (deleted > 0) {
        put(target, require(target, collection));
      }
      return deleted;
    }
  }

  @Override
  public java.util.Set<UUID> existing(
      WeaviateTarget target, String collection, String tenant, Collection<UUID> ids) {
    synchronized (world) {
      Map<UUID, Map<String, Object>> shard =
          require(target, collection).tenants.get(tenant == null ? "" : tenant);
      if (shard == null) {
        return java.util.Set.of();
      }
      return ids.stream().filter(shard::containsKey).collect(java.util.stream.Collectors.toSet());
    }
  }

  @Override
  public long count(WeaviateTarget target, String collection, String tenant) {
    synchronized (world) {
      return tenant == null
          ? require(target, collection).count()
          : shard(target, collection, tenant).size();
    }
  }

  @Override
  public Duration nearVector(WeaviateTarget target, String collection, float[] vector) {
    synchronized (world) {
      require(target, collection);
      return Duration.ofMillis(QUERY_MS);
    }
  }

  private Coll require(WeaviateTarget target, String collection) {
    Coll c = instance(target).get(collection);
    if (c == null) {
      throw Failures.notFound("collection " + collection + " does not exist at " + target.url());
    }
    return c;
  }

  private Map<UUID, Map<String, Object>> shard(
      WeaviateTarget target, String collection, String tenant) {
    Coll c = require(target, collection);
    if (c.spec.multiTenant() && tenant == null) {
      throw Failures.invalidInput(
          "collection "
              + collection
              + " has multi-tenancy enabled, but the request was without tenant");
    }
    if (!c.spec.multiTenant() && tenant != null) {
      throw Failures.invalidInput(
          "collection " + collection + " is not multi-tenant; no tenant " + tenant);
    }
    Map<UUID, Map<String, Object>> shard = c.tenants.get(tenant == null ? "" : tenant);
    if (shard == null) {
      throw Failures.notFound("tenant " + tenant + " not found in " + collection);
    }
    return shard;
  }

  private void put(WeaviateTarget target, Coll c) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("description", c.description);
    a.put("multiTenant", Boolean.toString(c.spec.multiTenant()));
    a.put("objects", Long.toString(c.count()));
    if (c.spec.multiTenant()) {
      c.tenants.forEach((t, objects) -> a.put("tenant." + t, Integer.toString(objects.size())));
    }
    world.ledger.put(new Resource("collection", base(target) + "/" + c.spec.name(), a));
  }

  private static String base(WeaviateTarget target) {
    String url = Failures.require("url", target.url());
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String host(WeaviateTarget target) {
    try {
      String host = URI.create(base(target)).getHost();
      if (host == null) {
        throw Failures.invalidInput("Weaviate URL " + target.url() + " has no host");
      }
      return host;
    } catch (IllegalArgumentException e) {
      throw Failures.invalidInput("Weaviate URL " + target.url() + " is not a URL");
    }
  }
}
