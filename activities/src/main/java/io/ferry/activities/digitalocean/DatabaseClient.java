package io.ferry.activities.digitalocean;

import static io.ferry.activities.digitalocean.AppPlatformClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Managed databases: clusters and their backups. Connection passwords DO returns are dropped here,
 * so they cannot reach a record that a workflow might see.
 */
public final class DatabaseClient {

  private final DigitalOceanApi api;

  public DatabaseClient(DigitalOceanApi api) {
    this.api = api;
  }

  /**
   * @param engine {@code pg}, {@code mysql}, {@code redis}, {@code valkey}, …
   * @param status {@code creating}, {@code online}, {@code resizing}, {@code migrating}, …
   * @param host the public connection host; {@code privateHost} the VPC one
   */
  public record DatabaseCluster(
      String id,
      String name,
      String engine,
      String version,
      String status,
      String region,
      int nodes,
      String host,
      int port,
      String privateHost,
      List<String> tags) {}

  public record Backup(String createdAt, double sizeGigabytes) {}

  public List<DatabaseCluster> clusters() {
    return api.list("/v2/databases", Map.of(), "databases").stream()
        .map(DatabaseClient::cluster)
        .toList();
  }

  public Optional<DatabaseCluster> cluster(String id) {
    return api.find("/v2/databases/" + DigitalOceanApi.segment(id))
        .map(r -> cluster(r.path("database")));
  }

  /** The cluster named {@code name}, if the account has one. */
  public Optional<DatabaseCluster> findCluster(String name) {
    return clusters().stream().filter(c -> name.equals(c.name())).findFirst();
  }

  /** Backups, as DO lists them (oldest first). */
  public List<Backup> backups(String clusterId) {
    return api
        .list(
            "/v2/databases/" + DigitalOceanApi.segment(clusterId) + "/backups", Map.of(), "backups")
        .stream()
        .map(b -> new Backup(text(b, "created_at"), b.path("size_gigabytes").asDouble()))
        .toList();
  }

  private static DatabaseCluster cluster(JsonNode d) {
    List<String> tags = new ArrayList<>();
    d.path("tags").forEach(t -> tags.add(t.asText()));
    JsonNode connection = d.path("connection");
    return new DatabaseCluster(
        text(d, "id"),
        text(d, "name"),
        text(d, "engine"),
        text(d, "version"),
        text(d, "status"),
        text(d, "region"),
        d.path("num_nodes").asInt(),
        text(connection, "host"),
        connection.path("port").asInt(),
        text(d.path("private_connection"), "host"),
        List.copyOf(tags));
  }
}
