package io.ferry.activities.sim;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ComputePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Droplets, volumes and firewalls. A new droplet is {@code new} for its first two reads and {@code
 * active} from the third, when it gets its addresses (private 10.120.0.x, public 164.90.x.x).
 */
final class SimCompute implements ComputePort {

  private static final int READS_BEFORE_ACTIVE = 2;

  private final SimWorld world;
  private final Map<Long, Droplet> droplets = new LinkedHashMap<>();
  private final Map<String, VolumeInfo> volumes = new LinkedHashMap<>();
  private final Map<String, FirewallInfo> firewalls = new LinkedHashMap<>();
  private final Map<String, FirewallSpec> firewallSpecs = new LinkedHashMap<>();
  private final java.util.Set<String> released = new java.util.HashSet<>();
  private int addresses;

  private static final class Droplet {
    final long id;
    final DropletSpec spec;
    String status = "new";
    String privateIp;
    String publicIp;
    int reads;

    Droplet(long id, DropletSpec spec) {
      this.id = id;
      this.spec = spec;
    }

    DropletInfo info() {
      return new DropletInfo(id, spec.name(), status, privateIp, publicIp, spec.tags());
    }
  }

  SimCompute(SimWorld world) {
    this.world = world;
  }

  @Override
  public Optional<DropletInfo> findDroplet(String tag) {
    synchronized (world) {
      return droplets.values().stream()
          .filter(d -> d.spec.tags().contains(tag))
          .map(Droplet::info)
          .findFirst();
    }
  }

  @Override
  public Optional<DropletInfo> droplet(long id) {
    synchronized (world) {
      Droplet d = droplets.get(id);
      if (d == null) {
        return Optional.empty();
      }
      d.reads++;
      if ("new".equals(d.status) && d.reads > READS_BEFORE_ACTIVE) {
        addresses++;
        d.status = "active";
        d.privateIp = "10.120.0." + (20 + addresses);
        d.publicIp = "164.90." + (64 + addresses / 200) + "." + (20 + addresses % 200);
        world.ledger.put(resource(d));
      }
      return Optional.of(d.info());
    }
  }

  @Override
  public DropletInfo createDroplet(DropletSpec spec) {
    synchronized (world) {
      Droplet d = new Droplet(world.nextId(), spec);
      droplets.put(d.id, d);
      world.ledger.put(resource(d));
      return d.info();
    }
  }

  @Override
  public void destroyDroplet(long id) {
    synchronized (world) {
      Droplet d = droplets.remove(id);
      if (d == null) {
        throw Failures.notFound("droplet " + id + " does not exist");
      }
      for (VolumeInfo v : List.copyOf(volumes.values())) {
        if (v.attachedTo() == id) {
          putVolume(new VolumeInfo(v.id(), v.name(), v.sizeGb(), 0, v.tags()));
        }
      }
      for (String fw : List.copyOf(firewallSpecs.keySet())) {
        FirewallSpec spec = firewallSpecs.get(fw);
        if (spec.dropletIds().contains(id)) {
          List<Long> rest = new ArrayList<>(spec.dropletIds());
          rest.remove(id);
          putFirewall(
              fw, new FirewallSpec(spec.name(), spec.ports(), spec.sources(), rest, spec.tags()));
        }
      }
      if (d.privateIp != null) {
        released.add(d.privateIp);
        released.add(d.publicIp);
        world.hosts.forget(d.privateIp);
        world.hosts.forget(d.publicIp);
      }
      world.ledger.remove("droplet", Long.toString(id));
    }
  }

  /** Whether the address belonged to a droplet that is gone (SSH to it is refused). */
  boolean unreachable(String address) {
    synchronized (world) {
      return released.contains(address) && activeAt(address).isEmpty();
    }
  }

  /** Whether the address is or was a droplet's (a host Ferry made rather than one it found). */
  boolean isDropletAddress(String address) {
    synchronized (world) {
      return released.contains(address) || activeAt(address).isPresent();
    }
  }

  private Optional<Droplet> activeAt(String address) {
    return droplets.values().stream()
        .filter(d -> address.equals(d.privateIp) || address.equals(d.publicIp))
        .findFirst();
  }

  @Override
  public Optional<VolumeInfo> findVolume(String tag) {
    synchronized (world) {
      return volumes.values().stream().filter(v -> v.tags().contains(tag)).findFirst();
    }
  }

  @Override
  public VolumeInfo createVolume(VolumeSpec spec) {
    synchronized (world) {
      VolumeInfo v =
          new VolumeInfo("vol-" + world.nextId(), spec.name(), spec.sizeGb(), 0, spec.tags());
      putVolume(v);
      regions.put(v.id(), spec.region());
      return v;
    }
  }

  private final Map<String, String> regions = new LinkedHashMap<>();

  @Override
  public void attachVolume(String volumeId, long dropletId) {
    synchronized (world) {
      VolumeInfo v = requireVolume(volumeId);
      Droplet d = droplets.get(dropletId);
      if (d == null) {
        throw Failures.notFound("droplet " + dropletId + " does not exist");
      }
      if (!d.spec.region().equals(regions.get(volumeId))) {
        throw Failures.precondition(
            "volume "
                + volumeId
                + " is in "
                + regions.get(volumeId)
                + ", droplet in "
                + d.spec.region());
      }
      putVolume(new VolumeInfo(v.id(), v.name(), v.sizeGb(), dropletId, v.tags()));
    }
  }

  @Override
  public void detachVolume(String volumeId) {
    synchronized (world) {
      VolumeInfo v = requireVolume(volumeId);
      putVolume(new VolumeInfo(v.id(), v.name(), v.sizeGb(), 0, v.tags()));
    }
  }

  @Override
  public void deleteVolume(String volumeId) {
    synchronized (world) {
      VolumeInfo v = requireVolume(volumeId);
      if (v.attachedTo() != 0) {
        throw Failures.precondition(
            "volume " + volumeId + " is still attached to " + v.attachedTo());
      }
      volumes.remove(volumeId);
      world.ledger.remove("volume", volumeId);
    }
  }

  @Override
  public Optional<FirewallInfo> findFirewall(String tag) {
    synchronized (world) {
      return firewalls.values().stream().filter(f -> f.tags().contains(tag)).findFirst();
    }
  }

  @Override
  public FirewallInfo createFirewall(FirewallSpec spec) {
    synchronized (world) {
      String id = "fw-" + world.nextId();
      putFirewall(id, spec);
      return firewalls.get(id);
    }
  }

  @Override
  public void deleteFirewall(String firewallId) {
    synchronized (world) {
      if (firewalls.remove(firewallId) == null) {
        throw Failures.notFound("firewall " + firewallId + " does not exist");
      }
      firewallSpecs.remove(firewallId);
      world.ledger.remove("firewall", firewallId);
    }
  }

  private VolumeInfo requireVolume(String id) {
    VolumeInfo v = volumes.get(id);
    if (v == null) {
      throw Failures.notFound("volume " + id + " does not exist");
    }
    return v;
  }

  private void putVolume(VolumeInfo v) {
    volumes.put(v.id(), v);
    Map<String, String> a = new LinkedHashMap<>();
    a.put("name", v.name());
    a.put("sizeGb", Integer.toString(v.sizeGb()));
    a.put("tags", String.join(",", v.tags()));
    if (v.attachedTo() != 0) {
      a.put("attachedTo", Long.toString(v.attachedTo()));
    }
    world.ledger.put(new Resource("volume", v.id(), a));
  }

  private void putFirewall(String id, FirewallSpec spec) {
    firewalls.put(id, new FirewallInfo(id, spec.name(), spec.ports(), spec.tags()));
    firewallSpecs.put(id, spec);
    Map<String, String> a = new LinkedHashMap<>();
    a.put("name", spec.name());
    a.put(
        "inbound",
        spec.ports().toString().replace(" ", "") + " from " + String.join(",", spec.sources()));
    a.put("droplets", spec.dropletIds().toString().replace(" ", ""));
    a.put("tags", String.join(",", spec.tags()));
    world.ledger.put(new Resource("firewall", id, a));
  }

  private final Map<String, SnapshotInfo> snapshots = new LinkedHashMap<>();

  /** An existing droplet the plan names by id, active at the given public address. */
  void seedDroplet(long id, String name, String publicIp) {
    seedDroplet(id, name, publicIp, null);
  }

  /** An existing droplet, carrying {@code tag} when not null. */
  void seedDroplet(long id, String name, String publicIp, String tag) {
    synchronized (world) {
      if (droplets.containsKey(id)) {
        return;
      }
      Droplet d =
          new Droplet(
              id,
              new DropletSpec(
                  name,
                  "nyc3",
                  "s-1vcpu-1gb",
                  "ubuntu-22-04-x64",
                  null,
                  tag == null ? List.of() : List.of(tag),
                  List.of(),
                  null));
      d.status = "active";
      d.privateIp = "10.116.0." + (2 + droplets.size());
      d.publicIp = publicIp;
      droplets.put(id, d);
      world.ledger.put(resource(d));
    }
  }

  @Override
  public Optional<SnapshotInfo> findSnapshot(long dropletId, String name) {
    synchronized (world) {
      return snapshots.values().stream()
          .filter(s -> s.dropletId() == dropletId && s.name().equals(name))
          .findFirst();
    }
  }

  /** Completes at once: the snapshot shows on the next lookup. */
  @Override
  public void snapshotDroplet(long dropletId, String name) {
    synchronized (world) {
      if (!droplets.containsKey(dropletId)) {
        throw Failures.notFound("droplet " + dropletId + " does not exist");
      }
      String id = Long.toString(world.nextId());
      snapshots.put(id, new SnapshotInfo(id, name, dropletId, 4.2));
      world.ledger.put(
          new Resource(
              "snapshot",
              id,
              Map.of("name", name, "droplet", Long.toString(dropletId), "sizeGb", "4.2")));
    }
  }

  @Override
  public boolean deleteSnapshot(String snapshotId) {
    synchronized (world) {
      if (snapshots.remove(snapshotId) == null) {
        return false;
      }
      world.ledger.remove("snapshot", snapshotId);
      return true;
    }
  }

  private static Resource resource(Droplet d) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("name", d.spec.name());
    a.put("status", d.status);
    a.put("region", d.spec.region());
    a.put("size", d.spec.size());
    a.put("image", d.spec.image());
    a.put("tags", String.join(",", d.spec.tags()));
    if (d.spec.userData() != null) {
      a.put("userData", "sha256:" + SimWorld.sha256(d.spec.userData()));
    }
    if (d.privateIp != null) {
      a.put("privateIp", d.privateIp);
      a.put("publicIp", d.publicIp);
    }
    return new Resource("droplet", Long.toString(d.id), a);
  }
}
