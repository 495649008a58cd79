package io.ferry.activities.data;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.BackupStorePort;
import io.ferry.activities.port.EmbedderPort;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.activities.port.MemoryStorePort.ScanPage;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import io.ferry.activities.port.PostgresPort;
import io.ferry.activities.port.PostgresPort.DatabaseInfo;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.activities.port.WeaviatePort.CollectionInfo;
import io.ferry.contract.DataActivities;
import io.ferry.plan.MemoryStoreTarget;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DataActivities} over the PostgreSQL, Weaviate, memory-store, embedder and backup ports.
 */
public final class DataActivitiesImpl implements DataActivities {

  private static final Logger log = LoggerFactory.getLogger(DataActivitiesImpl.class);

  /** The primary-key column every copied table gets: the hash's key in the store. */
  public static final String SOURCE_KEY_COLUMN = "source_key";

  static final int SCAN_COUNT = 500;

  /**
   * Rows per {@code COPY} of the structured copy: bounds the memory a table's copy holds (a few MB
   * for hashes of a few hundred bytes) while keeping the per-COPY commit rare.
   */
  public static final int COPY_BATCH_ROWS = 20_000;

  private static final int SET_ASIDE_SAMPLE = 20;

  private final PostgresPort postgres;
  private final WeaviatePort weaviate;
  private final MemoryStorePort store;
  private final EmbedderPort embedder;
  private final BackupStorePort backups;

  public DataActivitiesImpl(
      PostgresPort postgres,
      WeaviatePort weaviate,
      MemoryStorePort store,
      EmbedderPort embedder,
      BackupStorePort backups) {
    this.postgres = postgres;
    this.weaviate = weaviate;
    this.store = store;
    this.embedder = embedder;
    this.backups = backups;
  }

  @Override
  public DatabaseReady ensureDatabase(DatabaseRequest request) {
    String marker = Keys.marker(request.key());
    String database = Failures.require("database", request.database());
    Failures.require("target", request.target());
    List<String> extensions = request.extensions() == null ? List.of() : request.extensions();
    String version = postgres.serverVersion(request.target());
    Set<String> available = postgres.availableExtensions(request.target());
    for (String ext : extensions) {
      if (!available.contains(ext)) {
        throw Failures.precondition(
            "extension "
                + ext
                + " is not available on PostgreSQL "
                + version
                + " at "
                + request.target().host()
                + "; install it on the server first");
      }
    }
    DatabaseInfo info = postgres.database(request.target(), database).orElse(null);
    if (info == null) {
      postgres.createDatabase(request.target(), database, marker);
      info = postgres.database(request.target(), database).orElseThrow();
    }
    boolean created = marker.equals(info.comment());
    for (String ext : extensions) {
      if (!info.extensions().contains(ext)) {
        postgres.createExtension(request.target(), database, ext);
      }
    }
    return new DatabaseReady(database, created, version, List.copyOf(extensions));
  }

  @Override
  public void dropDatabaseIfCreated(DatabaseDrop request) {
    String marker = Keys.marker(request.key());
    postgres
        .database(request.target(), Failures.require("database", request.database()))
        .filter(db -> marker.equals(db.comment()))
        .ifPresent(db -> postgres.dropDatabase(request.target(), db.name()));
  }

  @Override
  public Collections createCollections(CollectionsRequest request) {
    String marker = Keys.marker(request.key());
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (CollectionSpec spec : request.collections()) {
      Failures.require("collections.name", spec.name());
      CollectionInfo info = weaviate.collection(request.target(), spec.name()).orElse(null);
      if (info == null) {
        weaviate.createCollection(request.target(), spec, marker);
        created.add(spec.name());
      } else if (marker.equals(info.description())) {
        created.add(spec.name());
      } else {
        existing.add(spec.name());
      }
    }
    return new Collections(List.copyOf(created), List.copyOf(existing));
  }

  @Override
  public void deleteCreatedCollections(CollectionsDrop request) {
    String marker = Keys.marker(request.key());
    for (String name : request.names()) {
      weaviate
          .collection(request.target(), name)
          .filter(c -> marker.equals(c.description()))
          .ifPresent(c -> weaviate.deleteCollection(request.target(), name));
    }
  }

  @Override
  public Backup backupKeys(BackupRequest request) {
    String dir = Failures.require("directory", request.directory());
    String file =
        (dir.endsWith("/") ? dir : dir + "/") + "ferry-" + Keys.safe(request.key()) + ".jsonl";
    List<String> lines = backups.read(file).orElse(null);
    if (lines == null) {
      // Keys in order, each line canonical JSON, so the checksum depends on the data only.
      TreeMap<String, StoredValue> values = new TreeMap<>();
      // A key SCAN returns twice lands on the same map entry.
      forEachPage(
          store,
          request.source(),
          request.pattern(),
          page -> {
            values.putAll(store.read(request.source(), page));
            heartbeat(values.size());
          });
      lines = new ArrayList<>(values.size());
      for (Map.Entry<String, StoredValue> e : values.entrySet()) {
        lines.add(BackupLines.of(e.getKey(), e.getValue()));
      }
      backups.write(file, lines);
      log.info("backed up {} keys matching {} to {}", lines.size(), request.pattern(), file);
    }
    return new Backup(file, lines.size(), BackupLines.sha256(lines));
  }

  /**
   * Runs the migration as a pipeline ({@link MemoryMigrator}): SCAN and reads, embedding and
   * upserts overlap, and progress is heartbeated after each upserted page, so a retry resumes at
   * the cursor after the last page it heartbeated and redoes at most the page that was in flight.
   */
  @Override
  public MigrationReport migrateMemory(MemoryMigration request) {
    Failures.require("collection", request.collection());
    Failures.require("tenant", request.tenant());
    MemoryMigrator.requireValid(request);
    if (request.batchSize() <= 0) {
      throw Failures.invalidInput("batchSize must be positive, was " + request.batchSize());
    }
    ActivityExecutionContext context = Activity.getExecutionContext();
    MigrationProgress progress =
        context.getHeartbeatDetails(MigrationProgress.class).orElse(MigrationProgress.START);
    if (progress.scanned() > 0) {
      log.info(
          "resuming memory migration at cursor {} after {} items",
          progress.cursor(),
          progress.scanned());
    }
    CollectionInfo collection =
        weaviate
            .collection(request.target(), request.collection())
            .orElseThrow(
                () -> Failures.notFound("collection " + request.collection() + " does not exist"));
    if (collection.multiTenant()) {
      weaviate.ensureTenant(request.target(), request.collection(), request.tenant());
    }
    String tenant = collection.multiTenant() ? request.tenant() : null;
    MigrationProgress done =
        new MemoryMigrator(store, weaviate, embedder, request, tenant, context).run(progress);
    long scanned = done.scanned();
    long malformed = done.malformed();
    double share = scanned == 0 ? 0 : (double) malformed / scanned;
    if (share > request.maxMalformedShare()) {
      throw Failures.thresholdNotMet(
          String.format(
              "%d of %d memory items are malformed (share %.4f), above the limit of %.4f; set aside: %s",
              malformed, scanned, share, request.maxMalformedShare(), done.setAside()));
    }
    return new MigrationReport(scanned, done.migrated(), malformed, Map.copyOf(done.setAside()));
  }

  @Override
  public void deleteMigratedMemory(MemoryMigration request) {
    CollectionInfo collection =
        weaviate.collection(request.target(), request.collection()).orElse(null);
    if (collection == null) {
      return;
    }
    String tenant = collection.multiTenant() ? request.tenant() : null;
    // A key SCAN returns twice is deleted twice: the second finds nothing, so no set is kept.
    forEachPage(
        store,
        request.source(),
        request.pattern(),
        page ->
            weaviate.delete(
                request.target(),
                request.collection(),
                tenant,
                page.stream().map(MemoryIds::forKey).toList()));
  }

  @Override
  public CopyReport copyStructured(StructuredCopy request) {
    return new StructuredCopier(postgres, store).copy(request);
  }

  @Override
  public void dropCopiedTables(StructuredCopy request) {
    new StructuredCopier(postgres, store).drop(request);
  }

  @Override
  public CountCheck verifyCounts(CountCheckRequest request) {
    List<String> problems = new ArrayList<>();
    long objects = 0;
    if (request.migration() != null) {
      CollectionInfo collection =
          weaviate
              .collection(request.target(), request.collection())
              .orElseThrow(
                  () ->
                      Failures.notFound("collection " + request.collection() + " does not exist"));
      objects =
          weaviate.count(
              request.target(),
              request.collection(),
              collection.multiTenant() ? request.tenant() : null);
      if (objects != request.migration().migrated()) {
        problems.add(
            request.collection()
                + " holds "
                + objects
                + " objects but "
                + request.migration().migrated()
                + " items were migrated");
      }
    }
    Map<String, Long> counted = new LinkedHashMap<>();
    if (request.copy() != null) {
      request
          .copy()
          .rowsByTable()
          .forEach(
              (table, expected) -> {
                long actual =
                    postgres.table(request.postgres(), table).isPresent()
                        ? postgres.countRows(request.postgres(), table)
                        : -1;
                counted.put(table, actual);
                if (actual != expected) {
                  problems.add(
                      actual < 0
                          ? "table " + table + " is missing"
                          : "table "
                              + table
                              + " holds "
                              + actual
                              + " rows but "
                              + expected
                              + " were copied");
                }
              });
    }
    if (!problems.isEmpty()) {
      throw Failures.precondition("counts disagree: " + String.join("; ", problems));
    }
    return new CountCheck(objects, counted);
  }

  @Override
  public PurgeReport purgeKeys(PurgeRequest request) {
    Backup backup = Failures.require("backup", request.backup());
    MemoryMigration migration = Failures.require("migration", request.migration());
    List<String> lines =
        backups
            .read(backup.file())
            .orElseThrow(
                () ->
                    Failures.notFound(
                        "backup " + backup.file() + " is missing; refusing to purge"));
    String sha = BackupLines.sha256(lines);
    if (!sha.equals(backup.sha256())) {
      throw Failures.precondition(
          "backup "
              + backup.file()
              + " has sha256 "
              + sha
              + ", expected "
              + backup.sha256()
              + "; refusing to purge");
    }
    CollectionInfo collection =
        weaviate
            .collection(migration.target(), migration.collection())
            .orElseThrow(
                () ->
                    Failures.precondition(
                        "collection "
                            + migration.collection()
                            + " is gone; refusing to purge keys whose copies cannot be checked"));
    String tenant = collection.multiTenant() ? migration.tenant() : null;
    Map<String, String> backedUp = new LinkedHashMap<>();
    for (String line : lines) {
      backedUp.put(BackupLines.keyOf(line), line);
    }
    List<String> keys = new ArrayList<>(backedUp.keySet());
    long deleted = 0;
    long keptCount = 0;
    Map<String, String> kept = new TreeMap<>();
    for (int i = 0; i < keys.size(); i += SCAN_COUNT) {
      List<String> batch = keys.subList(i, Math.min(keys.size(), i + SCAN_COUNT));
      Map<String, StoredValue> current = store.read(migration.source(), batch);
      Set<UUID> copied =
          weaviate.existing(
              migration.target(),
              migration.collection(),
              tenant,
              batch.stream().map(MemoryIds::forKey).toList());
      List<String> purge = new ArrayList<>();
      for (String key : batch) {
        StoredValue value = current.get(key);
        String why = null;
        if (value == null) {
          continue; // gone already: an earlier attempt purged it
        } else if (!BackupLines.of(key, value).equals(backedUp.get(key))) {
          why = "changed since the backup";
        } else if (!copied.contains(MemoryIds.forKey(key))) {
          why = "not in Weaviate (set aside or not migrated)";
        }
        if (why == null) {
          purge.add(key);
        } else {
          keptCount++;
          if (kept.size() < SET_ASIDE_SAMPLE) {
            kept.put(key, why);
          }
        }
      }
      deleted += purge.isEmpty() ? 0 : store.delete(migration.source(), purge);
      heartbeat(deleted);
    }
    return new PurgeReport(deleted, keptCount, Map.copyOf(kept));
  }

  /**
   * Hands each SCAN page on as it comes, holding nothing between pages. SCAN may return a key more
   * than once, so {@code onPage} must tolerate a repeat (or filter it, as the structured copy does
   * with {@link SeenKeys}).
   */
  static void forEachPage(
      MemoryStorePort store,
      MemoryStoreTarget source,
      String pattern,
      Consumer<List<String>> onPage) {
    Failures.require("source", source);
    Failures.require("pattern", pattern);
    String cursor = "0";
    do {
      ScanPage page = store.scan(source, pattern, cursor, SCAN_COUNT);
      List<String> keys = page.keys().stream().distinct().toList();
      if (!keys.isEmpty()) {
        onPage.accept(keys);
      }
      cursor = page.cursor();
    } while (!"0".equals(cursor));
  }

  private static void heartbeat(Object details) {
    Activity.getExecutionContext().heartbeat(details);
  }
}
