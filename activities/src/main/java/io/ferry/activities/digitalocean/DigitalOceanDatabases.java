package io.ferry.activities.digitalocean;

import io.ferry.activities.port.ManagedDatabasePort;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link ManagedDatabasePort} on DigitalOcean managed databases through {@link DatabaseClient}. */
public final class DigitalOceanDatabases implements ManagedDatabasePort {

  private final DatabaseClient client;

  public DigitalOceanDatabases(DatabaseClient client) {
    this.client = client;
  }

  public DigitalOceanDatabases(DigitalOceanApi api) {
    this(new DatabaseClient(api));
  }

  @Override
  public Optional<ClusterInfo> cluster(String clusterId) {
    return client
        .cluster(clusterId)
        .map(c -> new ClusterInfo(c.id(), c.name(), c.engine(), c.version(), c.status()));
  }

  /** Newest first; DO lists them oldest first. A 404 stays a {@code NotFound} failure. */
  @Override
  public List<BackupInfo> backups(String clusterId) {
    return client.backups(clusterId).stream()
        .map(b -> new BackupInfo(createdAt(clusterId, b.createdAt()), b.sizeGigabytes()))
        .sorted(Comparator.comparing(BackupInfo::createdAt).reversed())
        .toList();
  }

  private static Instant createdAt(String clusterId, String text) {
    try {
      return Instant.parse(String.valueOf(text));
    } catch (DateTimeParseException e) {
      // retryable: a backup whose time cannot be read must not pass as recent or be skipped
      throw new IllegalStateException(
          "DigitalOcean listed a backup of cluster " + clusterId + " with created_at " + text, e);
    }
  }
}
