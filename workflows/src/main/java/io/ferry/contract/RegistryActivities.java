package io.ferry.contract;

import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The container registry and the images built for it on a host. */
@ActivityInterface(namePrefix = "Registry.")
public interface RegistryActivities {

  /**
   * Fails with {@code NotFound} when the registry is not there; reports which of the tags this run
   * would push exist already (they are never deleted by a rollback).
   */
  RegistryInfo checkRegistry(RegistryQuery query);

  /**
   * Logs the host in ({@code docker login} with the token on stdin), builds each image, tags it and
   * pushes it; returns each digest as the registry reports it.
   */
  ImagesPushed pushImages(ImagePush push);

  /** Deletes the tags of {@code push} that did not exist before the run; nothing when none. */
  void deletePushedImages(ImagePush push);

  record RegistryQuery(String registry, List<String> repositories, String tag) {}

  /**
   * @param existingTags {@code repository:tag} of the queried tags that exist already
   */
  record RegistryInfo(String name, String region, List<String> existingTags) implements Summarized {
    @Override
    public String summary() {
      return "registry "
          + name
          + (region == null ? "" : " (" + region + ")")
          + (existingTags.isEmpty() ? "" : "; already there: " + existingTags);
    }
  }

  record ImageBuild(
      String component, String repository, String context, String dockerfile, String target) {}

  /**
   * @param server the registry host, {@code registry.digitalocean.com}
   * @param existingBefore tags that existed before the run (kept by a rollback)
   */
  record ImagePush(
      SshTarget host,
      String server,
      String registry,
      String user,
      SecretRef token,
      List<ImageBuild> images,
      String tag,
      List<String> existingBefore) {}

  record PushedImage(String component, String reference, String digest) {}

  record ImagesPushed(List<PushedImage> images) implements Summarized {
    @Override
    public String summary() {
      return "pushed "
          + images.stream()
              .map(i -> i.reference() + " (" + shortDigest(i.digest()) + ")")
              .reduce((a, b) -> a + ", " + b)
              .orElse("nothing");
    }

    private static String shortDigest(String digest) {
      return digest == null || digest.length() < 19 ? digest : digest.substring(0, 19);
    }
  }
}
