package io.ferry.activities.platform;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ContainerRegistryPort;
import io.ferry.activities.port.ContainerRegistryPort.ImageTag;
import io.ferry.activities.port.ContainersPort;
import io.ferry.activities.port.ContainersPort.ImageBuildSpec;
import io.ferry.contract.RegistryActivities;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.List;

/** {@link RegistryActivities} over the registry port and the containers of the host that builds. */
public final class RegistryActivitiesImpl implements RegistryActivities {

  private final ContainerRegistryPort registry;
  private final ContainersPort containers;
  private final SecretResolver secrets;

  public RegistryActivitiesImpl(
      ContainerRegistryPort registry, ContainersPort containers, SecretResolver secrets) {
    this.registry = registry;
    this.containers = containers;
    this.secrets = secrets;
  }

  @Override
  public RegistryInfo checkRegistry(RegistryQuery query) {
    String name = Failures.require("registry", query.registry());
    ContainerRegistryPort.RegistryInfo found =
        registry
            .registry()
            .orElseThrow(
                () ->
                    Failures.notFound(
                        "the account has no container registry; create " + name + " first"));
    if (!found.name().equals(name)) {
      throw Failures.notFound(
          "registry " + name + " does not exist; the account's registry is " + found.name());
    }
    List<String> existing = new ArrayList<>();
    for (String repository : query.repositories()) {
      if (registry.tag(name, repository, query.tag()).isPresent()) {
        existing.add(repository + ":" + query.tag());
      }
    }
    return new RegistryInfo(found.name(), found.region(), existing);
  }

  @Override
  public ImagesPushed pushImages(ImagePush push) {
    String token = secrets.resolve(Failures.require("token", push.token()));
    containers.registryLogin(push.host(), push.server(), push.user(), token);
    List<PushedImage> pushed = new ArrayList<>();
    for (ImageBuild image : push.images()) {
      String reference = reference(push, image);
      Activity.getExecutionContext().heartbeat(reference);
      String digest =
          containers.buildAndPush(
              push.host(),
              new ImageBuildSpec(image.context(), image.dockerfile(), image.target(), reference));
      ImageTag tag =
          registry
              .tag(push.registry(), image.repository(), push.tag())
              // retryable: the registry may lag behind the push
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          reference + " is not in the registry after the push"));
      if (digest != null && !digest.equals(tag.digest())) {
        throw new IllegalStateException(
            reference
                + " has digest "
                + tag.digest()
                + " in the registry, the push reported "
                + digest);
      }
      pushed.add(new PushedImage(image.component(), reference, tag.digest()));
    }
    return new ImagesPushed(pushed);
  }

  @Override
  public void deletePushedImages(ImagePush push) {
    for (ImageBuild image : push.images()) {
      if (!push.existingBefore().contains(image.repository() + ":" + push.tag())) {
        registry.deleteTag(push.registry(), image.repository(), push.tag());
      }
    }
  }

  static String reference(ImagePush push, ImageBuild image) {
    return push.server() + "/" + push.registry() + "/" + image.repository() + ":" + push.tag();
  }
}
