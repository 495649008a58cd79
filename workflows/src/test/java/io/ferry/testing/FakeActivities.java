package io.ferry.testing;

import io.ferry.contract.BackupStoreActivities;
import io.ferry.contract.CloudActivities;
import io.ferry.contract.DataActivities;
import io.ferry.contract.HostActivities;
import io.ferry.contract.ProbeActivities;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Answers every activity with a plausible result and no side effects; the {@link CallLog}
 * interceptor records calls and injects failures. Chat latency is settable to drive the micro-cache
 * decision.
 */
public final class FakeActivities
    implements CloudActivities,
        HostActivities,
        DataActivities,
        ProbeActivities,
        BackupStoreActivities {

  private volatile double chatP95Ms = 35;
  private volatile boolean migrationRunsUntilCancelled;

  /** Makes the memory migration run (heartbeating) until the workflow cancels it. */
  public FakeActivities migrationRunsUntilCancelled() {
    this.migrationRunsUntilCancelled = true;
    return this;
  }

  public FakeActivities chatP95(double ms) {
    this.chatP95Ms = ms;
    return this;
  }

  @Override
  public Droplet createDroplet(DropletRequest request) {
    return new Droplet(101, request.name(), "new", null, null);
  }

  @Override
  public Droplet waitDropletActive(ResourceKey key) {
    return new Droplet(101, "vector", "active", "10.120.0.7", "164.90.1.2");
  }

  @Override
  public void destroyDroplet(ResourceKey key) {}

  @Override
  public Volume createVolume(VolumeRequest request) {
    return new Volume("vol-1", request.name(), request.sizeGb(), 101);
  }

  @Override
  public void deleteVolume(ResourceKey key) {}

  @Override
  public Firewall createFirewall(FirewallRequest request) {
    return new Firewall("fw-1", request.name(), request.ports());
  }

  @Override
  public void deleteFirewall(ResourceKey key) {}

  @Override
  public DnsRecords readDnsRecords(DnsQuery query) {
    return new DnsRecords(
        query.domain(),
        query.names().stream()
            .map(n -> new DnsRecord(n.name(), n.type(), "203.0.113.10", 3600))
            .toList());
  }

  @Override
  public DnsRecords writeDnsRecords(DnsChange change) {
    return new DnsRecords(change.domain(), change.records());
  }

  @Override
  public ComposeState composeUp(ComposeProject project) {
    return new ComposeState(project.name(), List.of(project.name()));
  }

  @Override
  public void composeDown(ComposeRef project) {}

  @Override
  public ConfigSwitch switchConfig(ConfigChange change) {
    return new ConfigSwitch(change.path(), Map.of(), change.path() + ".ferry");
  }

  @Override
  public void restoreConfig(ConfigRestore restore) {}

  @Override
  public DatabaseReady ensureDatabase(DatabaseRequest request) {
    return new DatabaseReady(request.database(), true, "16.4", request.extensions());
  }

  @Override
  public void dropDatabaseIfCreated(DatabaseDrop request) {}

  @Override
  public Collections createCollections(CollectionsRequest request) {
    return new Collections(
        request.collections().stream().map(CollectionSpec::name).toList(), List.of());
  }

  @Override
  public void deleteCreatedCollections(CollectionsDrop request) {}

  @Override
  public Backup backupKeys(BackupRequest request) {
    return new Backup(
        request.directory() + "/memory.jsonl", 123, "0123456789abcdef0123456789abcdef");
  }

  @Override
  public StoredBackup storeBackup(BackupUpload request) {
    return new StoredBackup(request.localPath(), request.objectKey(), 4096, request.sha256(), true);
  }

  @Override
  public StoredBackup backupDatabase(DatabaseBackup request) {
    return new StoredBackup(
        request.localDir() + "/orchestra.dump",
        request.objectPrefix() + "orchestra.dump",
        8192,
        "fedcba9876543210fedcba9876543210",
        true);
  }

  @Override
  public MigrationReport migrateMemory(MemoryMigration request) {
    while (migrationRunsUntilCancelled) {
      // throws ActivityCanceledException once the workflow has asked for cancellation
      io.temporal.activity.Activity.getExecutionContext().heartbeat("scanning");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return new MigrationReport(123, 120, 3, Map.of("memory:bad", "not JSON"));
  }

  @Override
  public void deleteMigratedMemory(MemoryMigration request) {}

  @Override
  public CopyReport copyStructured(StructuredCopy request) {
    return new CopyReport(Map.of("billing_logs", 40L));
  }

  @Override
  public void dropCopiedTables(StructuredCopy request) {}

  @Override
  public CountCheck verifyCounts(CountCheckRequest request) {
    return new CountCheck(120, Map.of("billing_logs", 40L));
  }

  @Override
  public PurgeReport purgeKeys(PurgeRequest request) {
    return new PurgeReport(
        120, 3, Map.of("memory:bad", "not in Weaviate (set aside or not migrated)"));
  }

  @Override
  public Measurement weaviateReady(WeaviateReady request) {
    return measured("ready latency", 35, request.limit());
  }

  @Override
  public Measurement http(HttpProbe request) {
    double value = request.url().contains("chat") ? chatP95Ms : 180;
    return measured("p95 latency", value, request.limit());
  }

  @Override
  public Measurement pgbench(PgbenchRequest request) {
    return new Measurement("pgbench", 1240, "tps", request.minTps(), true);
  }

  @Override
  public Measurement vectorQuery(VectorQueryProbe request) {
    return measured("query p95", 42, request.limit());
  }

  private static Measurement measured(String name, double ms, Duration limit) {
    return new Measurement(name, ms, "ms", limit == null ? null : (double) limit.toMillis(), true);
  }

  @Override
  public Snapshot snapshotDroplet(SnapshotRequest request) {
    return new Snapshot("snap-1", request.name(), request.dropletId(), 25);
  }

  @Override
  public void deleteSnapshot(SnapshotRequest request) {}

  @Override
  public void destroyDropletById(DropletId droplet) {}

  @Override
  public LogArchive exportLogs(LogExportRequest request) {
    return new LogArchive(request.destination() + "/logs.tar.gz", 1024, "0123456789abcdef");
  }

  @Override
  public Measurement smoke(SmokeRequest request) {
    return new Measurement("slowest answer", 120, "ms", null, true);
  }

  @Override
  public ProbeRound probeRound(SmokeRequest request) {
    return new ProbeRound(true, "all answered");
  }
}
