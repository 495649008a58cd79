package io.ferry.activities.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.Resource;
import io.ferry.contract.DataActivities.Backup;
import io.ferry.contract.DataActivities.BackupRequest;
import io.ferry.contract.DataActivities.CollectionSpec;
import io.ferry.contract.DataActivities.Collections;
import io.ferry.contract.DataActivities.CollectionsDrop;
import io.ferry.contract.DataActivities.CollectionsRequest;
import io.ferry.contract.DataActivities.CopyReport;
import io.ferry.contract.DataActivities.CountCheckRequest;
import io.ferry.contract.DataActivities.DatabaseDrop;
import io.ferry.contract.DataActivities.DatabaseReady;
import io.ferry.contract.DataActivities.DatabaseRequest;
import io.ferry.contract.DataActivities.MemoryMigration;
import io.ferry.contract.DataActivities.MigrationReport;
import io.ferry.contract.DataActivities.PurgeReport;
import io.ferry.contract.DataActivities.PurgeRequest;
import io.ferry.contract.DataActivities.StructuredCopy;
import io.ferry.contract.DataActivities.TableCopySpec;
import io.ferry.contract.HostActivities.ComposeProject;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataActivitiesTest {

  private static final String RUN = "weaviate-first-orchestra-prod/";
  private final SimFixture sim = new SimFixture();
  private final PostgresTarget postgres = sim.plan.postgres();
  private final WeaviateTarget weaviate =
      new WeaviateTarget("http://10.120.0.50:8080", SecretRef.of("env:ORG_WEAVIATE_API_KEY"));
  private final List<CollectionSpec> collections =
      List.of(
          new CollectionSpec("Personal", false, Map.of("text", "text")),
          new CollectionSpec("Session", true, Map.of("text", "text", "threadId", "text")));

  @BeforeEach
  void startWeaviate() {
    sim.host.composeUp(
        new ComposeProject(
            sim.plan.appNode().atHost("10.120.0.50"),
            "/opt/weaviate",
            "weaviate",
            "services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.30.0\n",
            Map.of()));
  }

  @AfterEach
  void close() {
    sim.close();
  }

  private MemoryMigration migration(double maxMalformedShare, int batchSize) {
    return new MemoryMigration(
        sim.plan.memoryStore().source(),
        "memory:*",
        weaviate,
        "Session",
        "20250602",
        batchSize,
        maxMalformedShare,
        RUN + "migrate-memory");
  }

  private StructuredCopy structured() {
    return new StructuredCopy(
        sim.plan.memoryStore().source(),
        postgres,
        sim.plan.memoryStore().structured().stream()
            .map(t -> new TableCopySpec(t.pattern(), t.table(), t.columns()))
            .toList(),
        RUN + "copy-structured");
  }

  private void databaseAndCollections() {
    sim.data.ensureDatabase(
        new DatabaseRequest(postgres, "orchestrator", List.of("vector"), RUN + "ensure-database"));
    sim.data.createCollections(
        new CollectionsRequest(weaviate, collections, RUN + "create-collections"));
  }

  @Test
  void ensureDatabase_twice_createsItOnceAndSaysThisRunCreatedIt() {
    DatabaseRequest request =
        new DatabaseRequest(postgres, "orchestrator", List.of("vector"), RUN + "ensure-database");

    DatabaseReady first = sim.data.ensureDatabase(request);
    DatabaseReady second = sim.data.ensureDatabase(request);

    assertThat(first.created()).isTrue();
    assertThat(second).isEqualTo(first);
    assertThat(first.serverVersion()).isEqualTo("16.4");
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("database/10.120.0.5:5432/orchestrator")
                .attribute("extensions"))
        .contains("vector");
  }

  @Test
  void ensureDatabase_withAnUnavailableExtension_failsNamingIt() {
    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.data.ensureDatabase(
                    new DatabaseRequest(postgres, "orchestrator", List.of("postgis"), "k")));

    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.getOriginalMessage()).contains("postgis");
  }

  @Test
  void dropDatabaseIfCreated_dropsOnlyWhatThisRunCreated() {
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    sim.data.ensureDatabase(
        new DatabaseRequest(postgres, "orchestrator", List.of("vector"), RUN + "ensure-database"));

    sim.data.dropDatabaseIfCreated(new DatabaseDrop(postgres, "orchestrator", "another-run"));
    assertThat(sim.fleet.ledger().snapshot()).containsKey("database/10.120.0.5:5432/orchestrator");
    sim.data.dropDatabaseIfCreated(
        new DatabaseDrop(postgres, "orchestrator", RUN + "ensure-database"));

    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void dropDatabaseIfCreated_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.data.dropDatabaseIfCreated(
        new DatabaseDrop(postgres, "orchestrator", RUN + "ensure-database"));
    sim.data.dropDatabaseIfCreated(new DatabaseDrop(postgres, "postgres", RUN + "ensure-database"));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void createCollections_twice_reportsThemCreatedByThisRun() {
    CollectionsRequest request =
        new CollectionsRequest(weaviate, collections, RUN + "create-collections");

    Collections first = sim.data.createCollections(request);
    Collections second = sim.data.createCollections(request);

    assertThat(first.created()).containsExactly("Personal", "Session");
    assertThat(second).isEqualTo(first);
    Collections other =
        sim.data.createCollections(new CollectionsRequest(weaviate, collections, "other-run"));
    assertThat(other.existing()).containsExactly("Personal", "Session");
  }

  @Test
  void deleteCreatedCollections_leavesCollectionsThatExistedBefore() {
    sim.data.createCollections(
        new CollectionsRequest(weaviate, List.of(collections.get(0)), "earlier-run"));
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    sim.data.createCollections(
        new CollectionsRequest(weaviate, collections, RUN + "create-collections"));

    sim.data.deleteCreatedCollections(
        new CollectionsDrop(weaviate, List.of("Personal", "Session"), RUN + "create-collections"));

    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void deleteCreatedCollections_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.data.deleteCreatedCollections(
        new CollectionsDrop(weaviate, List.of("Personal", "Session"), "k"));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void backupKeys_writesARetainedChecksummedFileOnce() {
    BackupRequest request =
        new BackupRequest(
            sim.plan.memoryStore().source(), "memory:*", "/var/backups/ferry", RUN + "backup");

    Backup first = sim.data.backupKeys(request);
    Backup second = sim.data.backupKeys(request);

    assertThat(first.keys()).isEqualTo(303);
    assertThat(first.sha256()).hasSize(64);
    assertThat(second).isEqualTo(first);
    Resource backup = sim.fleet.ledger().snapshot().get("backup/" + first.file());
    assertThat(backup.retained()).isTrue();
    assertThat(backup.attribute("sha256")).isEqualTo(first.sha256());
  }

  @Test
  void migrateMemory_migratesTheWellFormedItemsAndSetsAsideTheMalformed() {
    databaseAndCollections();

    MigrationReport report =
        sim.data.migrateMemory(migration(sim.plan.memoryStore().maxMalformedShare(), 50));

    assertThat(report.scanned()).isEqualTo(303);
    assertThat(report.migrated()).isEqualTo(300);
    assertThat(report.malformed()).isEqualTo(3);
    assertThat(report.setAside())
        .containsOnlyKeys("memory:import:0001", "memory:import:0002", "memory:import:0003")
        .containsValues("empty value", "no text");
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("collection/http://10.120.0.50:8080/Session")
                .attributes())
        .containsEntry("objects", "300")
        .containsEntry("tenant.20250602", "300");
  }

  @Test
  void migrateMemory_rerun_doesNotDuplicateObjects() {
    databaseAndCollections();
    sim.data.migrateMemory(migration(0.05, 256));

    MigrationReport again = sim.data.migrateMemory(migration(0.05, 7));

    assertThat(again.migrated()).isEqualTo(300);
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("collection/http://10.120.0.50:8080/Session")
                .attribute("objects"))
        .isEqualTo("300");
  }

  @Test
  void migrateMemory_aboveTheMalformedShare_failsNamingShareAndLimit() {
    databaseAndCollections();

    ApplicationFailure failure =
        SimFixture.failureOf(() -> sim.data.migrateMemory(migration(0.005, 256)));

    assertThat(failure.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("3 of 303", "0.0099", "0.0050");
  }

  @Test
  void migrateMemory_resumesFromItsHeartbeat() {
    databaseAndCollections();
    // An earlier attempt scanned the first 100 keys of the key space (40 billing, 25 job, then
    // 35 memory keys, the 3 malformed ones first) before its worker died.
    sim.env.setHeartbeatDetails(
        new MigrationProgress("100", 35, 32, 3, Map.of("memory:import:0001", "not JSON")));

    MigrationReport report = sim.data.migrateMemory(migration(0.05, 50));

    assertThat(report.scanned()).isEqualTo(303);
    assertThat(report.migrated()).isEqualTo(300);
    assertThat(report.malformed()).isEqualTo(3);
    // Only what the resumed attempt wrote is in this (fresh) world: the rest of the keys.
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("collection/http://10.120.0.50:8080/Session")
                .attribute("objects"))
        .isEqualTo("268");
  }

  @Test
  void deleteMigratedMemory_removesExactlyTheMigratedObjects() {
    databaseAndCollections();
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    sim.data.migrateMemory(migration(0.05, 256));

    sim.data.deleteMigratedMemory(migration(0.05, 256));

    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false))
        .containsExactly("~ collection http://10.120.0.50:8080/Session tenant.20250602 ->0");
  }

  @Test
  void deleteMigratedMemory_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.data.deleteMigratedMemory(migration(0.05, 256));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void copyStructured_twice_copiesEveryHashOnce() {
    databaseAndCollections();

    CopyReport first = sim.data.copyStructured(structured());
    CopyReport second = sim.data.copyStructured(structured());

    assertThat(first.rowsByTable())
        .containsExactly(Map.entry("billing_logs", 40L), Map.entry("job_rows", 25L));
    assertThat(second).isEqualTo(first);
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("table/10.120.0.5:5432/orchestrator.billing_logs")
                .attribute("rows"))
        .isEqualTo("40");
  }

  @Test
  void dropCopiedTables_afterCopy_returnsTheLedgerToItsStart_andIsANoOpAgain() {
    databaseAndCollections();
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    sim.data.copyStructured(structured());

    sim.data.dropCopiedTables(structured());
    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
    sim.data.dropCopiedTables(structured());

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(start);
  }

  @Test
  void verifyCounts_agreesAfterMigrationAndCopy() {
    databaseAndCollections();
    MigrationReport migrated = sim.data.migrateMemory(migration(0.05, 256));
    CopyReport copied = sim.data.copyStructured(structured());

    var check =
        sim.data.verifyCounts(
            new CountCheckRequest(migrated, copied, weaviate, "Session", "20250602", postgres));

    assertThat(check.weaviateObjects()).isEqualTo(300);
    assertThat(check.rowsByTable()).isEqualTo(copied.rowsByTable());
  }

  @Test
  void verifyCounts_whenCountsDisagree_failsNamingBoth() {
    databaseAndCollections();
    sim.data.migrateMemory(migration(0.05, 256));

    ApplicationFailure failure =
        SimFixture.failureOf(
            () ->
                sim.data.verifyCounts(
                    new CountCheckRequest(
                        new MigrationReport(310, 310, 0, Map.of()),
                        null,
                        weaviate,
                        "Session",
                        "20250602",
                        postgres)));

    assertThat(failure.getOriginalMessage()).contains("300 objects", "310 items");
  }

  @Test
  void purgeKeys_deletesOnlyMigratedKeys_once_andKeepsTheMalformedOnes() {
    databaseAndCollections();
    Backup backup =
        sim.data.backupKeys(
            new BackupRequest(
                sim.plan.memoryStore().source(), "memory:*", "/var/backups/ferry", RUN + "backup"));
    sim.data.migrateMemory(migration(0.01, 100));
    PurgeRequest request = new PurgeRequest(migration(0.01, 100), backup);

    PurgeReport first = sim.data.purgeKeys(request);
    assertThat(first.deleted()).isEqualTo(300);
    assertThat(first.keptCount()).isEqualTo(3);
    assertThat(first.kept()).allSatisfy((key, why) -> assertThat(why).contains("not in Weaviate"));
    assertThat(sim.data.purgeKeys(request).deleted()).isZero();
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("memory-store/" + sim.plan.memoryStore().source().url())
                .attributes())
        .containsEntry("keys.memory", "3")
        .containsEntry("keys.billing", "40");
  }

  @Test
  void purgeKeys_keepsAKeyWrittenSinceTheBackup() {
    databaseAndCollections();
    Backup backup =
        sim.data.backupKeys(
            new BackupRequest(
                sim.plan.memoryStore().source(), "memory:*", "/var/backups/ferry", RUN + "backup"));
    sim.data.migrateMemory(migration(0.01, 100));
    String key = "memory:thread-00:0000"; // a well-formed item of the seeded store
    sim.fleet.appWrites(
        sim.plan.memoryStore().source(), key, "{\"text\":\"written after the backup\"}");

    PurgeReport report = sim.data.purgeKeys(new PurgeRequest(migration(0.01, 100), backup));

    assertThat(report.kept()).containsEntry(key, "changed since the backup");
    assertThat(report.deleted()).isEqualTo(299);
  }

  @Test
  void purgeKeys_withAWrongChecksum_refuses() {
    Backup backup =
        sim.data.backupKeys(
            new BackupRequest(
                sim.plan.memoryStore().source(), "memory:*", "/var/backups/ferry", RUN + "backup"));
    Backup tampered = new Backup(backup.file(), backup.keys(), "0".repeat(64));

    ApplicationFailure failure =
        SimFixture.failureOf(
            () -> sim.data.purgeKeys(new PurgeRequest(migration(0.01, 100), tampered)));

    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.getOriginalMessage()).contains("refusing to purge");
  }

  @Test
  void memoryIds_areStableNameBasedUuids() {
    assertThat(MemoryIds.forKey("memory:a"))
        .isEqualTo(MemoryIds.forKey("memory:a"))
        .isNotEqualTo(MemoryIds.forKey("memory:b"));
    assertThat(MemoryIds.forKey("memory:a").version()).isEqualTo(5);
  }

  @Test
  void memoryIds_neverChange_orReRunsWouldNotFindTheirObjects() {
    assertThat(MemoryIds.forKey("memory:a")).hasToString("9c063c66-3a91-59e5-b21c-8e5ef4eb0a50");
    assertThat(MemoryIds.forKey("mémoire:日本")).hasToString("01686d08-977c-5e73-9cce-47003d43d359");
  }
}
