package io.ferry.activities.digitalocean;

import io.ferry.activities.port.ContainerRegistryPort;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@link ContainerRegistryPort} on DigitalOcean Container Registry through {@link RegistryClient}.
 */
public final class DigitalOceanRegistry implements ContainerRegistryPort {

  private final RegistryClient client;

  public DigitalOceanRegistry(RegistryClient client) {
    this.client = client;
  }

  public DigitalOceanRegistry(DigitalOceanApi api) {
    this(new RegistryClient(api));
  }

  @Override
  public Optional<RegistryInfo> registry() {
    return client
        .registry()
        .map(r -> new RegistryInfo(r.name(), r.region(), r.storageUsageBytes()));
  }

  @Override
  public Optional<ImageTag> tag(String registry, String repository, String tag) {
    try {
      return client
          .tag(registry, repository, tag)
          .map(
              t ->
                  new ImageTag(
                      t.repository() == null ? repository : t.repository(),
                      t.tag(),
                      t.manifestDigest(),
                      t.sizeBytes(),
                      instant(t.updatedAt())));
    } catch (ApplicationFailure e) {
      if (DoFailures.isNotFound(e)) {
        return Optional.empty(); // no such repository (yet)
      }
      throw e;
    }
  }

  @Override
  public boolean deleteTag(String registry, String repository, String tag) {
    try {
      client.deleteTag(registry, repository, tag);
      return true;
    } catch (ApplicationFailure e) {
      if (DoFailures.isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
