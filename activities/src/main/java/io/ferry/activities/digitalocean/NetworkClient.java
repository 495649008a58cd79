package io.ferry.activities.digitalocean;

import static io.ferry.activities.digitalocean.AppPlatformClient.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** VPCs and projects, which digitalocean-api-client 2.17 does not cover (or covers partly). */
public final class NetworkClient {

  private final DigitalOceanApi api;

  public NetworkClient(DigitalOceanApi api) {
    this.api = api;
  }

  public record Vpc(String id, String name, String region, String ipRange, boolean isDefault) {}

  public record Project(String id, String name, String environment, boolean isDefault) {}

  public List<Vpc> vpcs() {
    return api.list("/v2/vpcs", Map.of(), "vpcs").stream().map(NetworkClient::vpc).toList();
  }

  /** A VPC by id or by name (plans name them either way). */
  public Optional<Vpc> findVpc(String idOrName) {
    return vpcs().stream()
        .filter(v -> idOrName.equals(v.id()) || idOrName.equals(v.name()))
        .findFirst();
  }

  public List<Project> projects() {
    return api.list("/v2/projects", Map.of(), "projects").stream()
        .map(
            p ->
                new Project(
                    text(p, "id"),
                    text(p, "name"),
                    text(p, "environment"),
                    p.path("is_default").asBoolean()))
        .toList();
  }

  public Optional<Project> findProject(String name) {
    return projects().stream().filter(p -> name.equals(p.name())).findFirst();
  }

  /**
   * Moves resources into a project (assigning twice is harmless).
   *
   * @param urns such as {@code do:droplet:123}, {@code do:volume:<uuid>}, {@code
   *     do:domain:example.com}
   */
  public void assignToProject(String projectId, List<String> urns) {
    ObjectNode body = api.object();
    ArrayNode resources = body.putArray("resources");
    urns.forEach(resources::add);
    api.post("/v2/projects/" + DigitalOceanApi.segment(projectId) + "/resources", body);
  }

  private static Vpc vpc(JsonNode v) {
    return new Vpc(
        text(v, "id"),
        text(v, "name"),
        text(v, "region"),
        text(v, "ip_range"),
        v.path("default").asBoolean());
  }
}
