package io.ferry.activities.digitalocean;

import static io.ferry.activities.digitalocean.AppPlatformClient.text;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DigitalOcean Container Registry: the account's registry, its repositories and their tags. */
public final class RegistryClient {

  private final DigitalOceanApi api;

  public RegistryClient(DigitalOceanApi api) {
    this.api = api;
  }

  /**
   * @param serverUrl where images are pushed, such as {@code registry.digitalocean.com}
   */
  public record Registry(String name, String region, String serverUrl, long storageUsageBytes) {}

  public record Repository(String name, int tagCount, String latestTag) {}

  public record Tag(
      String repository, String tag, String manifestDigest, long sizeBytes, String updatedAt) {}

  /** The account's registry, or empty when it has none. */
  public Optional<Registry> registry() {
    return api.find("/v2/registry")
        .map(r -> r.path("registry"))
        .map(
            r ->
                new Registry(
                    text(r, "name"),
                    text(r, "region"),
                    text(r, "server_url") == null
                        ? "registry.digitalocean.com"
                        : text(r, "server_url"),
                    r.path("storage_usage_bytes").asLong()));
  }

  public List<Repository> repositories(String registry) {
    return api
        .list(
            "/v2/registry/" + DigitalOceanApi.segment(registry) + "/repositoriesV2",
            Map.of(),
            "repositories")
        .stream()
        .map(
            r ->
                new Repository(
                    text(r, "name"),
                    r.path("tag_count").asInt(),
                    r.path("latest_manifest").path("tags").path(0).asText(null)))
        .toList();
  }

  /**
   * @param repository a repository name, which may hold slashes ({@code team/backend})
   */
  public List<Tag> tags(String registry, String repository) {
    return api
        .list(
            "/v2/registry/"
                + DigitalOceanApi.segment(registry)
                + "/repositories/"
                + DigitalOceanApi.segment(repository)
                + "/tags",
            Map.of(),
            "tags")
        .stream()
        .map(
            t ->
                new Tag(
                    text(t, "repository"),
                    text(t, "tag"),
                    text(t, "manifest_digest"),
                    t.path("size_bytes").asLong(),
                    text(t, "updated_at")))
        .toList();
  }

  /**
   * Deletes a tag; DO keeps the manifest until garbage collection. Throws {@code NotFound} when the
   * repository or the tag does not exist.
   */
  public void deleteTag(String registry, String repository, String tag) {
    api.delete(
        "/v2/registry/"
            + DigitalOceanApi.segment(registry)
            + "/repositories/"
            + DigitalOceanApi.segment(repository)
            + "/tags/"
            + DigitalOceanApi.segment(tag));
  }

  /** The tag if the repository has it (checking an image was pushed before deploying it). */
  public Optional<Tag> tag(String registry, String repository, String tag) {
    return tags(registry, repository).stream().filter(t -> tag.equals(t.tag())).findFirst();
  }
}
