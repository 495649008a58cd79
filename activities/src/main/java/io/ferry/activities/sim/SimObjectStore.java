package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ObjectStorePort;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Buckets of an S3-compatible store; objects are kept on purpose (retained). */
final class SimObjectStore implements ObjectStorePort {

  private final SimWorld world;
  private final Map<String, Map<String, StoredObject>> buckets = new TreeMap<>();

  SimObjectStore(SimWorld world) {
    this.world = world;
  }

  void seedBucket(String name) {
    synchronized (world) {
      buckets.computeIfAbsent(name, n -> new TreeMap<>());
    }
  }

  @Override
  public Optional<StoredObject> head(Bucket bucket, String key) {
    synchronized (world) {
      return Optional.ofNullable(require(bucket).get(key));
    }
  }

  @Override
  public StoredObject upload(
      Bucket bucket, String key, String localPath, String sha256, long partBytes) {
    synchronized (world) {
      Map<String, StoredObject> objects = require(bucket);
      String content =
          world
              .workerFiles
              .readText(localPath, Long.MAX_VALUE)
              .orElseThrow(() -> Failures.notFound(localPath + " does not exist on the worker"));
      long bytes = content.getBytes(StandardCharsets.UTF_8).length;
      int parts = (int) Math.max(1, (bytes + partBytes - 1) / partBytes);
      StoredObject stored = new StoredObject(key, bytes, sha256, parts);
      objects.put(key, stored);
      Map<String, String> a = new LinkedHashMap<>();
      a.put("bytes", Long.toString(bytes));
      a.put("sha256", sha256);
      world.ledger.put(new Resource("object", bucket.name() + "/" + key, a, true));
      return stored;
    }
  }

  private Map<String, StoredObject> require(Bucket bucket) {
    Map<String, StoredObject> objects = buckets.get(bucket.name());
    if (objects == null) {
      throw Failures.notFound("NoSuchBucket: " + bucket.name() + " at " + bucket.endpoint());
    }
    return objects;
  }
}
