package io.ferry.activities.port;

import java.util.List;
import java.util.Optional;

/**
 * Droplets, volumes and firewalls at the cloud provider. Every resource carries a marker tag so an
 * activity can find what an earlier attempt made before making it again.
 */
public interface ComputePort {

  Optional<DropletInfo> findDroplet(String tag);

  Optional<DropletInfo> droplet(long id);

  DropletInfo createDroplet(DropletSpec spec);

  void destroyDroplet(long id);

  Optional<VolumeInfo> findVolume(String tag);

  VolumeInfo createVolume(VolumeSpec spec);

  void attachVolume(String volumeId, long dropletId);

  void detachVolume(String volumeId);

  void deleteVolume(String volumeId);

  Optional<FirewallInfo> findFirewall(String tag);

  FirewallInfo createFirewall(FirewallSpec spec);

  void deleteFirewall(String firewallId);

  /**
   * The droplet's snapshot of that name ({@code GET /v2/droplets/{id}/snapshots}); empty until the
   * snapshot action has finished, or when the droplet is gone.
   */
  Optional<SnapshotInfo> findSnapshot(long dropletId, String name);

  /**
   * Starts a snapshot ({@code POST /v2/droplets/{id}/actions} {@code {"type":"snapshot","name":
   * name}}); returns at once, the snapshot shows in {@link #findSnapshot} when done. Callers look
   * the name up first: a second call makes a second snapshot. Throws {@code NotFound} when the
   * droplet does not exist.
   */
  void snapshotDroplet(long dropletId, String name);

  /** {@code DELETE /v2/snapshots/{id}}; returns false when it was already gone. */
  boolean deleteSnapshot(String snapshotId);

  /**
   * @param userData cloud-init; may carry a host key, so adapters never log it
   */
  record DropletSpec(
      String name,
      String region,
      String size,
      String image,
      String vpc,
      List<String> tags,
      List<String> sshKeys,
      String userData) {}

  /**
   * @param status {@code new}, {@code active}, {@code off} or {@code archive}
   */
  record DropletInfo(
      long id, String name, String status, String privateIp, String publicIp, List<String> tags) {}

  record VolumeSpec(String name, String region, int sizeGb, List<String> tags) {}

  /**
   * @param attachedTo the droplet id, or 0 when detached
   */
  record VolumeInfo(String id, String name, int sizeGb, long attachedTo, List<String> tags) {}

  record FirewallSpec(
      String name,
      List<Integer> ports,
      List<String> sources,
      List<Long> dropletIds,
      List<String> tags) {}

  record SnapshotInfo(String id, String name, long dropletId, double sizeGigabytes) {}

  record FirewallInfo(String id, String name, List<Integer> ports, List<String> tags) {}
}
