package io.ferry.activities.platform;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ManagedDatabasePort;
import io.ferry.activities.port.ManagedDatabasePort.BackupInfo;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.activities.port.MemoryStorePort.ScratchRun;
import io.ferry.activities.port.PgDumpPort;
import io.ferry.activities.port.PostgresPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.contract.ManagedDatabaseActivities;
import io.ferry.plan.PostgresTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * {@link ManagedDatabaseActivities} over the PostgreSQL, memory-store, cluster and pg_dump ports.
 */
public final class ManagedDatabaseActivitiesImpl implements ManagedDatabaseActivities {

  static final String SCRATCH = "ferry-scratch:";

  private final PostgresPort postgres;
  private final MemoryStorePort memory;
  private final ManagedDatabasePort clusters;
  private final PgDumpPort dumps;
  private final SecretResolver secrets;
  private final Clock clock;

  public ManagedDatabaseActivitiesImpl(
      PostgresPort postgres,
      MemoryStorePort memory,
      ManagedDatabasePort clusters,
      PgDumpPort dumps,
      SecretResolver secrets,
      Clock clock) {
    this.postgres = postgres;
    this.memory = memory;
    this.clusters = clusters;
    this.dumps = dumps;
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public PostgresCheck checkPostgres(PostgresTarget target) {
    Failures.require("target", target);
    String version = postgres.serverVersion(target);
    if (!postgres.connectionEncrypted(target)) {
      throw Failures.precondition(
          "the connection to "
              + target.host()
              + ":"
              + target.port()
              + " is not encrypted; managed PostgreSQL must be reached over TLS (sslMode require)");
    }
    return new PostgresCheck(version, postgres.databaseSize(target, target.database()), true);
  }

  @Override
  public ValkeyCheck checkValkey(ValkeyCheckRequest request) {
    String prefix = Failures.require("prefix", request.prefix());
    if (!prefix.startsWith(SCRATCH) || !prefix.endsWith(":")) {
      throw Failures.invalidInput(
          "prefix must start with " + SCRATCH + " and end with ':', was " + prefix);
    }
    if (!request.store().url().startsWith("rediss://")) {
      throw Failures.invalidInput("valkey.store.url must use TLS (rediss://)");
    }
    ScratchRun run = memory.exerciseScratch(request.store(), prefix, request.rounds());
    if (run.keysLeft() > 0) {
      throw Failures.precondition(
          run.keysLeft() + " scratch keys under " + prefix + " were left behind");
    }
    double p95 = p95Millis(run.roundLatencies());
    double limit = request.maxP95().toNanos() / 1e6;
    if (p95 > limit) {
      throw Failures.thresholdNotMet(
          String.format(
              java.util.Locale.ROOT,
              "Valkey round p95 %.2f ms exceeds the limit of %.0f ms",
              p95,
              limit));
    }
    return new ValkeyCheck(run.roundLatencies().size(), p95, limit, run.keysLeft());
  }

  @Override
  public BackupCheck verifyBackup(BackupCheckRequest request) {
    if ("pg-dump".equals(request.source())) {
      String path = request.dumpDir() + "/" + Keys.safe(request.key()) + ".dump";
      PostgresTarget db = Failures.require("database", request.database());
      WrittenFile dump = dumps.pgDump(request.host(), db, secrets.resolve(db.password()), path);
      if (dump.bytes() <= 0) {
        throw Failures.precondition("pg_dump wrote an empty file " + path);
      }
      return new BackupCheck("pg-dump", dump.path(), clock.instant(), dump.bytes());
    }
    String cluster = Failures.require("cluster", request.cluster());
    if (clusters.cluster(cluster).isEmpty()) {
      throw Failures.notFound("database cluster " + cluster + " does not exist");
    }
    List<BackupInfo> backups = clusters.backups(cluster);
    BackupInfo newest =
        backups.stream()
            .max(Comparator.comparing(BackupInfo::createdAt))
            .orElseThrow(
                () ->
                    Failures.precondition(
                        "database cluster "
                            + cluster
                            + " has no backup yet; wait for the daily backup"
                            + " or set postgres.backup.source: pg-dump"));
    Duration age = Duration.between(newest.createdAt(), clock.instant());
    if (age.compareTo(request.maxAge()) > 0) {
      throw Failures.precondition(
          "the newest backup of "
              + cluster
              + " is from "
              + newest.createdAt()
              + ", older than "
              + request.maxAge().toHours()
              + " h; set postgres.backup.source: pg-dump to take one now");
    }
    return new BackupCheck(
        "managed",
        cluster + "@" + newest.createdAt(),
        newest.createdAt(),
        (long) (newest.sizeGigabytes() * 1024 * 1024 * 1024));
  }

  static double p95Millis(List<Duration> latencies) {
    if (latencies.isEmpty()) {
      throw Failures.precondition("no Valkey round completed");
    }
    List<Duration> sorted = latencies.stream().sorted().toList();
    int index = (int) Math.ceil(0.95 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)).toNanos() / 1e6;
  }
}
