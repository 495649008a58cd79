package io.ferry.activities.port;

import java.time.Instant;
import java.util.Optional;

/** The account's DigitalOcean container registry ({@code /v2/registry}). */
public interface ContainerRegistryPort {

  /**
   * The account's registry ({@code GET /v2/registry}); empty when the account has none (404).
   * 401/403 throw a non-retryable {@code AuthenticationFailed}.
   */
  Optional<RegistryInfo> registry();

  /**
   * One tag of a repository ({@code GET /v2/registry/{registry}/repositories/{repository}/tags},
   * paging); empty when the repository or the tag does not exist. Repository names with {@code /}
   * are URL-encoded by the adapter.
   */
  Optional<ImageTag> tag(String registry, String repository, String tag);

  /**
   * Deletes a tag ({@code DELETE /v2/registry/{registry}/repositories/{repository}/tags/{tag}});
   * returns false when it was not there. The manifest stays until garbage collection.
   */
  boolean deleteTag(String registry, String repository, String tag);

  record RegistryInfo(String name, String region, long storageUsageBytes) {}

  /**
   * @param digest the manifest digest, {@code sha256:...}
   */
  record ImageTag(
      String repository, String tag, String digest, long sizeBytes, Instant updatedAt) {}
}
