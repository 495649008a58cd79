package io.ferry.contract;

import io.ferry.plan.MemoryStoreTarget;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.time.Instant;

/** Managed PostgreSQL and Valkey at the cloud provider, and their backups. */
@ActivityInterface(namePrefix = "ManagedDb.")
public interface ManagedDatabaseActivities {

  /** Connects, requires the connection to be encrypted, and reports version and database size. */
  PostgresCheck checkPostgres(PostgresTarget target);

  /**
   * Runs LPUSH/RPOP, INCR/GET and SETEX/GET rounds on scratch keys under {@code prefix} over TLS,
   * always removing them, and fails with {@code ThresholdNotMet} when the p95 exceeds the limit.
   */
  ValkeyCheck checkValkey(ValkeyCheckRequest request);

  /**
   * {@code managed}: the cluster's newest backup must be younger than {@code maxAge}; {@code
   * pg-dump}: dumps the database on the host into {@code dumpDir} (kept; a retry finds the dump
   * with the key in its name).
   */
  BackupCheck verifyBackup(BackupCheckRequest request);

  record PostgresCheck(String version, long sizeBytes, boolean encrypted) implements Summarized {
    @Override
    public String summary() {
      return "PostgreSQL "
          + version
          + " over TLS, "
          + String.format(java.util.Locale.ROOT, "%.1f", sizeBytes / 1048576.0)
          + " MiB";
    }
  }

  /**
   * @param prefix the run's scratch prefix; every key under it is removed afterwards
   */
  record ValkeyCheckRequest(MemoryStoreTarget store, String prefix, int rounds, Duration maxP95) {}

  record ValkeyCheck(int rounds, double p95Ms, double limitMs, long keysLeft)
      implements Summarized {
    @Override
    public String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "%d rounds, p95 %.2f ms (limit %.0f ms), scratch keys removed",
          rounds,
          p95Ms,
          limitMs);
    }
  }

  /**
   * @param source {@code managed} or {@code pg-dump}
   */
  record BackupCheckRequest(
      String source,
      String cluster,
      Duration maxAge,
      SshTarget host,
      PostgresTarget database,
      String dumpDir,
      String key) {}

  /**
   * @param location the backup's id at the provider, or the dump's path on the host
   */
  record BackupCheck(String source, String location, Instant takenAt, long sizeBytes)
      implements Summarized {
    @Override
    public String summary() {
      return source + " backup " + location + " taken " + takenAt + " (" + sizeBytes + " bytes)";
    }
  }
}
