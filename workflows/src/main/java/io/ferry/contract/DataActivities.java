package io.ferry.contract;

import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

/**
 * The data side of a migration: PostgreSQL databases, Weaviate collections, the memory store, and
 * the copies between them.
 */
@ActivityInterface(namePrefix = "Data.")
public interface DataActivities {

  /** Creates the database if missing, with the extensions; says whether this run created it. */
  DatabaseReady ensureDatabase(DatabaseRequest request);

  /** Drops the database only when this run created it (its comment carries the key). */
  void dropDatabaseIfCreated(DatabaseDrop request);

  /** Creates the collections that do not exist yet, marking them with the key. */
  Collections createCollections(CollectionsRequest request);

  /** Deletes the collections this run created; collections that existed before stay. */
  void deleteCreatedCollections(CollectionsDrop request);

  /** Writes every key matching the pattern to a JSON-lines file with a SHA-256 (retained). */
  Backup backupKeys(BackupRequest request);

  /**
   * Moves memory items into Weaviate: SCAN, parse, embed, upsert with ids derived from the key.
   * Heartbeats carry the scan cursor so a retry resumes; malformed values are set aside.
   */
  MigrationReport migrateMemory(MemoryMigration request);

  /** Deletes the objects the migration wrote (ids derive from the source keys, which remain). */
  void deleteMigratedMemory(MemoryMigration request);

  /** Copies hashes into PostgreSQL tables with COPY FROM STDIN, creating the tables. */
  CopyReport copyStructured(StructuredCopy request);

  /** Drops the tables this run created. */
  void dropCopiedTables(StructuredCopy request);

  /** Compares source counts with what landed; fails when they disagree. */
  CountCheck verifyCounts(CountCheckRequest request);

  /**
   * Deletes the migrated keys from the memory store, after checking the backup's checksum. A key is
   * deleted only when its object is in Weaviate and its value is as backed up: malformed items that
   * were set aside, and keys written since the backup, stay. This cannot be undone.
   */
  PurgeReport purgeKeys(PurgeRequest request);

  record DatabaseRequest(
      PostgresTarget target, String database, List<String> extensions, String key) {}

  record DatabaseReady(
      String database, boolean created, String serverVersion, List<String> extensions)
      implements Summarized {
    @Override
    public String summary() {
      return "database "
          + database
          + (created ? " created" : " already there")
          + " on PostgreSQL "
          + serverVersion
          + " with "
          + extensions;
    }
  }

  record DatabaseDrop(PostgresTarget target, String database, String key) {}

  /**
   * @param multiTenant collections whose objects live in per-tenant shards
   * @param properties property name to Weaviate data type (text, int, date, text[])
   */
  record CollectionSpec(String name, boolean multiTenant, Map<String, String> properties) {}

  record CollectionsRequest(WeaviateTarget target, List<CollectionSpec> collections, String key) {}

  record Collections(List<String> created, List<String> existing) implements Summarized {
    @Override
    public String summary() {
      return "created " + created + (existing.isEmpty() ? "" : ", already there " + existing);
    }
  }

  record CollectionsDrop(WeaviateTarget target, List<String> names, String key) {}

  record BackupRequest(MemoryStoreTarget source, String pattern, String directory, String key) {}

  record Backup(String file, long keys, String sha256) implements Summarized {
    @Override
    public String summary() {
      return keys + " keys backed up to " + file + " (sha256 " + sha256.substring(0, 12) + "...)";
    }
  }

  /**
   * @param tenant the Session tenant the items land in (yyyymmdd of the migration day)
   * @param maxMalformedShare above this share of malformed values the migration fails
   */
  record MemoryMigration(
      MemoryStoreTarget source,
      String pattern,
      WeaviateTarget target,
      String collection,
      String tenant,
      int batchSize,
      double maxMalformedShare,
      String key) {}

  /**
   * @param setAside a sample of the keys set aside, with the reason for each
   */
  record MigrationReport(long scanned, long migrated, long malformed, Map<String, String> setAside)
      implements Summarized {
    @Override
    public String summary() {
      return migrated
          + " of "
          + scanned
          + " memory items migrated, "
          + malformed
          + " malformed set aside";
    }
  }

  record TableCopySpec(String pattern, String table, List<String> columns) {}

  record StructuredCopy(
      MemoryStoreTarget source, PostgresTarget target, List<TableCopySpec> tables, String key) {}

  record CopyReport(Map<String, Long> rowsByTable) implements Summarized {
    @Override
    public String summary() {
      return rowsByTable.isEmpty() ? "no tables to copy" : "copied " + rowsByTable;
    }
  }

  record CountCheckRequest(
      MigrationReport migration,
      CopyReport copy,
      WeaviateTarget target,
      String collection,
      String tenant,
      PostgresTarget postgres) {}

  record CountCheck(long weaviateObjects, Map<String, Long> rowsByTable) implements Summarized {
    @Override
    public String summary() {
      return weaviateObjects
          + " objects in Weaviate"
          + (rowsByTable.isEmpty() ? "" : ", rows " + rowsByTable);
    }
  }

  /**
   * @param migration the migration whose keys are purged: source, pattern, where they went
   */
  record PurgeRequest(MemoryMigration migration, Backup backup) {}

  /**
   * @param kept keys left in place, with why (a sample)
   */
  record PurgeReport(long deleted, long keptCount, Map<String, String> kept) implements Summarized {
    @Override
    public String summary() {
      return deleted
          + " migrated keys purged from the memory store"
          + (keptCount == 0
              ? ""
              : ", " + keptCount + " kept (set aside or changed since the backup)");
    }
  }
}
