/**
 * Activity implementations for data: PostgreSQL databases and tables, Weaviate collections, the
 * memory store's backup, migration and purge. Ids and markers derive from keys, so reruns converge.
 */
package io.ferry.activities.data;
