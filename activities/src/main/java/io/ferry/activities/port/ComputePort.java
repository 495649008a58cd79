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

  record FirewallInfo(String id, String name, List<Integer> ports, List<String> tags) {}
}
