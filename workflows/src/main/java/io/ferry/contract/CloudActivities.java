package io.ferry.contract;

import io.ferry.plan.SecretRef;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Droplets, volumes, firewalls and domain records at the cloud provider. */
@ActivityInterface(namePrefix = "Cloud.")
public interface CloudActivities {

  /** Creates the droplet, or finds the one an earlier attempt created (by its key tag). */
  Droplet createDroplet(DropletRequest request);

  /** Polls until the droplet is active; returns its addresses. */
  Droplet waitDropletActive(ResourceKey key);

  /** Destroys the droplet carrying the key; nothing to do when there is none. */
  void destroyDroplet(ResourceKey key);

  /** Creates the volume and attaches it to the droplet with {@code dropletKey}. */
  Volume createVolume(VolumeRequest request);

  /** Detaches and deletes the volume carrying the key; nothing to do when there is none. */
  void deleteVolume(ResourceKey key);

  Firewall createFirewall(FirewallRequest request);

  void deleteFirewall(ResourceKey key);

  /** Reads the records as they are now, so a cutover can put them back. */
  DnsRecords readDnsRecords(DnsQuery query);

  /**
   * Makes each managed name hold exactly the given records: a name with none is deleted, so a
   * restore also removes a record the cutover created. Returns the managed records as they are.
   */
  DnsRecords writeDnsRecords(DnsChange change);

  /**
   * Snapshots the droplet under the name and waits until the snapshot exists; a retry finds the
   * snapshot of that name.
   */
  Snapshot snapshotDroplet(SnapshotRequest request);

  /** Deletes the droplet's snapshot of that name; nothing to do when there is none. */
  void deleteSnapshot(SnapshotRequest request);

  /** Destroys an existing droplet by id; nothing to do when it is gone already. */
  void destroyDropletById(DropletId droplet);

  record SnapshotRequest(long dropletId, String name) {}

  record Snapshot(String id, String name, long dropletId, double sizeGb) implements Summarized {
    @Override
    public String summary() {
      return "snapshot " + name + " (id " + id + ") of droplet " + dropletId;
    }
  }

  record DropletId(long id) {}

  /**
   * @param key the idempotency key, carried by the droplet as a tag
   * @param hostKey the host key Ferry installs through cloud-init, so SSH can verify the new host
   */
  record DropletRequest(
      String key,
      String name,
      String region,
      String size,
      String image,
      String vpc,
      List<String> tags,
      List<String> sshKeys,
      SecretRef hostKey) {}

  record Droplet(long id, String name, String status, String privateIp, String publicIp)
      implements Summarized {
    @Override
    public String summary() {
      return "droplet "
          + name
          + " (id "
          + id
          + ", "
          + status
          + (privateIp == null ? "" : ", private " + privateIp)
          + ")";
    }
  }

  record ResourceKey(String key) {}

  record VolumeRequest(String key, String name, String region, int sizeGb, String dropletKey) {}

  record Volume(String id, String name, int sizeGb, long attachedTo) implements Summarized {
    @Override
    public String summary() {
      return "volume " + name + " (" + sizeGb + " GB) attached to droplet " + attachedTo;
    }
  }

  /** Inbound TCP ports open to the given address ranges; all outbound allowed. */
  record FirewallRequest(
      String key, String name, String dropletKey, List<Integer> ports, List<String> sources) {}

  record Firewall(String id, String name, List<Integer> ports) implements Summarized {
    @Override
    public String summary() {
      return "firewall " + name + " allowing " + ports;
    }
  }

  record DnsQuery(String domain, List<DnsName> names) {}

  record DnsName(String name, String type) {}

  record DnsRecord(String name, String type, String data, int ttl) {}

  /**
   * @param names the name and type pairs this change manages; records outside them are refused
   */
  record DnsChange(String domain, List<DnsName> names, List<DnsRecord> records) {}

  record DnsRecords(String domain, List<DnsRecord> records) implements Summarized {
    @Override
    public String summary() {
      return records.isEmpty()
          ? "no records in " + domain
          : records.stream()
              .map(
                  r ->
                      r.name() + "." + domain + " " + r.type() + " " + r.data() + " ttl " + r.ttl())
              .reduce((a, b) -> a + ", " + b)
              .orElse("");
    }
  }
}
