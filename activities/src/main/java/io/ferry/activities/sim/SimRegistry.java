package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ContainerRegistryPort;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The account's container registry: repositories and their tags, each tag in the ledger. */
final class SimRegistry implements ContainerRegistryPort {

  static final String SERVER = "registry.digitalocean.com";

  private final SimWorld world;
  private String name;
  private final Map<String, ImageTag> tags = new TreeMap<>();

  SimRegistry(SimWorld world) {
    this.world = world;
  }

  /** The registry (once) with tags pushed before the run. */
  void seed(String registry, Map<String, String> repositoryTags) {
    synchronized (world) {
      if (name == null) {
        name = registry;
        world.ledger.put(new Resource("registry", registry, Map.of("region", "nyc3")));
      }
      repositoryTags.forEach(
          (repository, tag) -> {
            if (!tags.containsKey(repository + ":" + tag)) {
              put(repository, tag);
            }
          });
    }
  }

  /**
   * A push of {@code registry.digitalocean.com/<registry>/<repository>:<tag>}; returns the digest.
   */
  String push(String reference) {
    synchronized (world) {
      String prefix = SERVER + "/" + name + "/";
      if (name == null || !reference.startsWith(prefix)) {
        throw Failures.notFound("push of " + reference + ": no such registry");
      }
      String rest = reference.substring(prefix.length());
      int colon = rest.lastIndexOf(':');
      return put(rest.substring(0, colon), rest.substring(colon + 1)).digest();
    }
  }

  /** Whether the image a spec names is there. */
  boolean has(String repository, String tag) {
    synchronized (world) {
      return tags.containsKey(repository + ":" + tag);
    }
  }

  @Override
  public Optional<RegistryInfo> registry() {
    synchronized (world) {
      return name == null
          ? Optional.empty()
          : Optional.of(new RegistryInfo(name, "nyc3", 1L << 30));
    }
  }

  @Override
  public Optional<ImageTag> tag(String registry, String repository, String tag) {
    synchronized (world) {
      return registry.equals(name)
          ? Optional.ofNullable(tags.get(repository + ":" + tag))
          : Optional.empty();
    }
  }

  @Override
  public boolean deleteTag(String registry, String repository, String tag) {
    synchronized (world) {
      if (!registry.equals(name) || tags.remove(repository + ":" + tag) == null) {
        return false;
      }
      world.ledger.remove("image-tag", registry + "/" + repository + ":" + tag);
      return true;
    }
  }

  private ImageTag put(String repository, String tag) {
    String digest = "sha256:" + SimWorld.sha256(name + "/" + repository + ":" + tag);
    ImageTag image = new ImageTag(repository, tag, digest, 84_000_000L, Instant.EPOCH);
    tags.put(repository + ":" + tag, image);
    Map<String, String> a = new LinkedHashMap<>();
    a.put("digest", digest);
    world.ledger.put(new Resource("image-tag", name + "/" + repository + ":" + tag, a));
    return image;
  }
}
