/**
 * The real Weaviate adapter on the v5 Java client (REST and GraphQL): collections with
 * Ferry-supplied vectors, tenants, batch upserts with deterministic ids, counts and queries.
 */
package io.ferry.activities.weaviate;
