package io.ferry.activities.port;

import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.plan.WeaviateTarget;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A Weaviate instance: readiness, collections, tenants and objects. */
public interface WeaviatePort {

  /** How long a ready answer (200) took, or empty while Weaviate is not ready or not reachable. */
  Optional<Duration> ready(WeaviateTarget target);

  Optional<CollectionInfo> collection(WeaviateTarget target, String name);

  void createCollection(WeaviateTarget target, CollectionSpec spec, String description);

  void deleteCollection(WeaviateTarget target, String name);

  void ensureTenant(WeaviateTarget target, String collection, String tenant);

  /** Creates or replaces the objects by id (batch upsert). */
  void upsert(
      WeaviateTarget target, String collection, String tenant, Collection<VectorObject> objects);

  /** Deletes those of the ids that exist; returns how many did. */
  long delete(WeaviateTarget target, String collection, String tenant, Collection<UUID> ids);

  /** Objects in the collection's tenant, or in the whole collection when tenant is null. */
  long count(WeaviateTarget target, String collection, String tenant);

  /** Which of the ids exist in the collection (and tenant). */
  java.util.Set<UUID> existing(
      WeaviateTarget target, String collection, String tenant, Collection<UUID> ids);

  /** Runs one near-vector query (limit 10) and returns how long it took. */
  Duration nearVector(WeaviateTarget target, String collection, float[] vector);

  record CollectionInfo(String name, boolean multiTenant, String description) {}

  record VectorObject(UUID id, Map<String, Object> properties, float[] vector) {}
}
