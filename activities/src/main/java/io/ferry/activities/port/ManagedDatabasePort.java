package io.ferry.activities.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** DigitalOcean managed database clusters ({@code /v2/databases}). */
public interface ManagedDatabasePort {

  /** {@code GET /v2/databases/{id}}; empty on 404. */
  Optional<ClusterInfo> cluster(String clusterId);

  /**
   * The cluster's backups ({@code GET /v2/databases/{id}/backups}), newest first; empty when it has
   * none yet. Throws {@code NotFound} when the cluster does not exist.
   */
  List<BackupInfo> backups(String clusterId);

  /**
   * @param engine {@code pg}, {@code valkey}, {@code redis}, ...
   * @param status {@code online}, {@code creating}, ...
   */
  record ClusterInfo(String id, String name, String engine, String version, String status) {}

  record BackupInfo(Instant createdAt, double sizeGigabytes) {}
}
