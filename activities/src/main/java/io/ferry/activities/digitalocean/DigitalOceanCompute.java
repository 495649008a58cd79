package io.ferry.activities.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.myjeeva.digitalocean.pojo.Action;
import com.myjeeva.digitalocean.pojo.Destinations;
import com.myjeeva.digitalocean.pojo.Droplet;
import com.myjeeva.digitalocean.pojo.Droplets;
import com.myjeeva.digitalocean.pojo.Firewall;
import com.myjeeva.digitalocean.pojo.Firewalls;
import com.myjeeva.digitalocean.pojo.InboundRules;
import com.myjeeva.digitalocean.pojo.Network;
import com.myjeeva.digitalocean.pojo.OutboundRules;
import com.myjeeva.digitalocean.pojo.Region;
import com.myjeeva.digitalocean.pojo.Snapshot;
import com.myjeeva.digitalocean.pojo.Snapshots;
import com.myjeeva.digitalocean.pojo.Sources;
import com.myjeeva.digitalocean.pojo.Volume;
import io.ferry.activities.Failures;
import io.ferry.activities.Polling;
import io.ferry.activities.port.ComputePort;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ComputePort} on DigitalOcean. Lookups, deletes, volumes, firewalls and snapshots go
 * through digitalocean-api-client; droplet creation and volume listing through {@link
 * DigitalOceanApi}, because the library cannot set {@code vpc_uuid} and lists volumes of one
 * region, one page only. Volume attach and detach wait for their actions. The droplet's user data
 * may carry a host key: it is sent, never logged.
 */
public final class DigitalOceanCompute implements ComputePort {

  private static final Logger log = LoggerFactory.getLogger(DigitalOceanCompute.class);
  private static final int PAGE_SIZE = 200;

  private final DoLibrary library;
  private final DigitalOceanApi api;
  private final Polling polling;
  private final Heartbeat heartbeat;

  /**
   * @param polling how attach, detach and snapshot actions are waited for
   */
  public DigitalOceanCompute(
      DoLibrary library, DigitalOceanApi api, Polling polling, Heartbeat heartbeat) {
    this.library = library;
    this.api = api;
    this.polling = polling;
    this.heartbeat = heartbeat;
  }

  @Override
  public Optional<DropletInfo> findDroplet(String tag) {
    List<Droplet> tagged = new ArrayList<>();
    for (int page = 1; ; page++) {
      int p = page;
      Droplets droplets =
          library.call(
              "GET /v2/droplets?tag_name", c -> c.getAvailableDropletsByTagName(tag, p, PAGE_SIZE));
      List<Droplet> list = droplets.getDroplets() == null ? List.of() : droplets.getDroplets();
      // DO matches the tag exactly already; checking again keeps a misbehaving filter harmless.
      list.stream()
          .filter(d -> d.getTags() != null && d.getTags().contains(tag))
          .forEach(tagged::add);
      if (list.size() < PAGE_SIZE) {
        break;
      }
    }
    if (tagged.size() > 1) {
      log.warn("{} droplets carry the tag {}; using the oldest", tagged.size(), tag);
    }
    return tagged.stream()
        .min(Comparator.comparing(Droplet::getId))
        .map(DigitalOceanCompute::dropletInfo);
  }

  @Override
  public Optional<DropletInfo> droplet(long id) {
    try {
      return Optional.of(
          dropletInfo(library.call("GET /v2/droplets/" + id, c -> c.getDropletInfo(intId(id)))));
    } catch (ApplicationFailure e) {
      if (DoFailures.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public DropletInfo createDroplet(DropletSpec spec) {
    ObjectNode body = api.object();
    body.put("name", spec.name());
    body.put("region", spec.region());
    body.put("size", spec.size());
    body.put("image", spec.image());
    if (spec.vpc() != null && !spec.vpc().isBlank()) {
      body.put("vpc_uuid", spec.vpc());
    }
    body.put("monitoring", true);
    spec.tags().forEach(body.putArray("tags")::add);
    if (!spec.sshKeys().isEmpty()) {
      spec.sshKeys().forEach(body.putArray("ssh_keys")::add);
    }
    if (spec.userData() != null) {
      body.put("user_data", spec.userData());
    }
    JsonNode made = api.post("/v2/droplets", body).path("droplet");
    DropletInfo info = dropletJson(made);
    log.info("created droplet {} ({}) in {}", info.name(), info.id(), spec.region());
    return info;
  }

  @Override
  public void destroyDroplet(long id) {
    library.call("DELETE /v2/droplets/" + id, c -> c.deleteDroplet(intId(id)));
  }

  /**
   * Starts a snapshot of the droplet named {@code name} and returns; {@link #findSnapshot} lists it
   * once done. A snapshot action already running on the droplet (an earlier attempt's) is not
   * started twice. DO snapshots a running droplet live; power it off first for a consistent disk.
   */
  @Override
  public void snapshotDroplet(long dropletId, String name) {
    if (findSnapshot(dropletId, name).isPresent() || snapshotRunning(dropletId)) {
      return;
    }
    library.call(
        "POST /v2/droplets/" + dropletId + "/actions snapshot",
        c -> c.takeDropletSnapshot(intId(dropletId), name));
  }

  private boolean snapshotRunning(long dropletId) {
    return api.list("/v2/droplets/" + dropletId + "/actions", Map.of(), "actions").stream()
        .anyMatch(
            a ->
                "snapshot".equals(a.path("type").asText())
                    && "in-progress".equals(a.path("status").asText()));
  }

  @Override
  public boolean deleteSnapshot(String snapshotId) {
    if (api.find("/v2/snapshots/" + snapshotId).isEmpty()) {
      return false;
    }
    api.delete("/v2/snapshots/" + snapshotId);
    return true;
  }

  @Override
  public Optional<SnapshotInfo> findSnapshot(long dropletId, String name) {
    for (int page = 1; ; page++) {
      int p = page;
      Snapshots snapshots =
          library.call(
              "GET /v2/droplets/" + dropletId + "/snapshots",
              c -> c.getDropletSnapshots(intId(dropletId), p, PAGE_SIZE));
      List<Snapshot> list = snapshots.getSnapshots() == null ? List.of() : snapshots.getSnapshots();
      for (Snapshot s : list) {
        if (name.equals(s.getName())) {
          return Optional.of(
              new SnapshotInfo(
                  String.valueOf(s.getId()),
                  s.getName(),
                  dropletId,
                  s.getSize() == null ? 0 : s.getSize()));
        }
      }
      if (list.size() < PAGE_SIZE) {
        return Optional.empty();
      }
    }
  }

  @Override
  public Optional<VolumeInfo> findVolume(String tag) {
    return api.list("/v2/volumes", Map.of(), "volumes").stream()
        .filter(v -> strings(v.path("tags")).contains(tag))
        .map(DigitalOceanCompute::volumeJson)
        .findFirst();
  }

  @Override
  public VolumeInfo createVolume(VolumeSpec spec) {
    Volume v = new Volume();
    v.setName(spec.name());
    v.setRegion(new Region(spec.region()));
    v.setSize(spec.sizeGb());
    v.setFileSystemType("ext4");
    v.setTags(spec.tags());
    Volume made = library.call("POST /v2/volumes", c -> c.createVolume(v));
    log.info("created volume {} ({}) in {}", spec.name(), made.getId(), spec.region());
    return volumeInfo(made);
  }

  @Override
  public void attachVolume(String volumeId, long dropletId) {
    Volume v = volume(volumeId);
    if (v.getDropletIds() != null && v.getDropletIds().contains(intId(dropletId))) {
      return;
    }
    Action action =
        library.call(
            "POST /v2/volumes/" + volumeId + "/actions attach",
            c -> c.attachVolume(intId(dropletId), volumeId, v.getRegion().getSlug()));
    api.awaitAction(action.getId(), polling, heartbeat);
  }

  @Override
  public void detachVolume(String volumeId) {
    Volume v = volume(volumeId);
    if (v.getDropletIds() == null) {
      return;
    }
    for (Integer dropletId : v.getDropletIds()) {
      Action action =
          library.call(
              "POST /v2/volumes/" + volumeId + "/actions detach",
              c -> c.detachVolume(dropletId, volumeId, v.getRegion().getSlug()));
      api.awaitAction(action.getId(), polling, heartbeat);
    }
  }

  @Override
  public void deleteVolume(String volumeId) {
    library.call("DELETE /v2/volumes/" + volumeId, c -> c.deleteVolume(volumeId));
  }

  @Override
  public Optional<FirewallInfo> findFirewall(String tag) {
    for (int page = 1; ; page++) {
      int p = page;
      Firewalls firewalls =
          library.call("GET /v2/firewalls", c -> c.getAvailableFirewalls(p, PAGE_SIZE));
      List<Firewall> list = firewalls.getFirewalls() == null ? List.of() : firewalls.getFirewalls();
      Optional<Firewall> found =
          list.stream().filter(f -> f.getTags() != null && f.getTags().contains(tag)).findFirst();
      if (found.isPresent()) {
        return found.map(DigitalOceanCompute::firewallInfo);
      }
      if (list.size() < PAGE_SIZE) {
        return Optional.empty();
      }
    }
  }

  /**
   * Inbound TCP on the spec's ports from its sources; outbound open (a DO firewall without outbound
   * rules would cut the droplet off from package mirrors and registries).
   */
  @Override
  public FirewallInfo createFirewall(FirewallSpec spec) {
    Firewall f = new Firewall();
    f.setName(spec.name());
    List<InboundRules> inbound = new ArrayList<>();
    for (int port : spec.ports()) {
      InboundRules rule = new InboundRules();
      rule.setProtocol("tcp");
      rule.setPorts(Integer.toString(port));
      Sources sources = new Sources();
      sources.setAddresses(spec.sources());
      rule.setSources(sources);
      inbound.add(rule);
    }
    f.setInboundRules(inbound);
    List<OutboundRules> outbound = new ArrayList<>();
    for (String protocol : List.of("tcp", "udp", "icmp")) {
      OutboundRules rule = new OutboundRules();
      rule.setProtocol(protocol);
      rule.setPorts("icmp".equals(protocol) ? "0" : "all");
      Destinations everywhere = new Destinations();
      everywhere.setAddresses(List.of("0.0.0.0/0", "::/0"));
      rule.setDestinations(everywhere);
      outbound.add(rule);
    }
    f.setOutboundRules(outbound);
    f.setDropletIds(spec.dropletIds().stream().map(DigitalOceanCompute::intId).toList());
    f.setTags(spec.tags());
    Firewall made = library.call("POST /v2/firewalls", c -> c.createFirewall(f));
    log.info("created firewall {} ({})", spec.name(), made.getId());
    return firewallInfo(made);
  }

  @Override
  public void deleteFirewall(String firewallId) {
    library.call("DELETE /v2/firewalls/" + firewallId, c -> c.deleteFirewall(firewallId));
  }

  private Volume volume(String volumeId) {
    return library.call("GET /v2/volumes/" + volumeId, c -> c.getVolumeInfo(volumeId));
  }

  private static Integer intId(long id) {
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw Failures.invalidInput("droplet id " + id + " is out of range");
    }
    return (int) id;
  }

  private static DropletInfo dropletInfo(Droplet d) {
    String privateIp = null;
    String publicIp = null;
    if (d.getNetworks() != null && d.getNetworks().getVersion4Networks() != null) {
      for (Network n : d.getNetworks().getVersion4Networks()) {
        if ("private".equals(n.getType()) && privateIp == null) {
          privateIp = n.getIpAddress();
        } else if ("public".equals(n.getType()) && publicIp == null) {
          publicIp = n.getIpAddress();
        }
      }
    }
    return new DropletInfo(
        d.getId(),
        d.getName(),
        d.getStatus() == null ? "unknown" : d.getStatus().toString(),
        privateIp,
        publicIp,
        d.getTags() == null ? List.of() : List.copyOf(d.getTags()));
  }

  private static DropletInfo dropletJson(JsonNode d) {
    String privateIp = null;
    String publicIp = null;
    for (JsonNode n : d.path("networks").path("v4")) {
      String type = n.path("type").asText();
      if ("private".equals(type) && privateIp == null) {
        privateIp = n.path("ip_address").asText(null);
      } else if ("public".equals(type) && publicIp == null) {
        publicIp = n.path("ip_address").asText(null);
      }
    }
    return new DropletInfo(
        d.path("id").asLong(),
        d.path("name").asText(),
        d.path("status").asText(),
        privateIp,
        publicIp,
        strings(d.path("tags")));
  }

  private static VolumeInfo volumeInfo(Volume v) {
    long attached =
        v.getDropletIds() == null || v.getDropletIds().isEmpty()
            ? 0
            : v.getDropletIds().iterator().next();
    return new VolumeInfo(
        v.getId(),
        v.getName(),
        v.getSize() == null ? 0 : v.getSize(),
        attached,
        v.getTags() == null ? List.of() : List.copyOf(v.getTags()));
  }

  private static VolumeInfo volumeJson(JsonNode v) {
    JsonNode droplets = v.path("droplet_ids");
    return new VolumeInfo(
        v.path("id").asText(),
        v.path("name").asText(),
        v.path("size_gigabytes").asInt(),
        droplets.size() == 0 ? 0 : droplets.get(0).asLong(),
        strings(v.path("tags")));
  }

  private static FirewallInfo firewallInfo(Firewall f) {
    List<Integer> ports = new ArrayList<>();
    if (f.getInboundRules() != null) {
      for (InboundRules r : f.getInboundRules()) {
        try {
          ports.add(Integer.parseInt(r.getPorts()));
        } catch (NumberFormatException rangeOrAll) {
          // A range ("8000-8100") or "all" is not a single port: leave it out of the summary.
        }
      }
    }
    return new FirewallInfo(
        f.getId(),
        f.getName(),
        List.copyOf(ports),
        f.getTags() == null ? List.of() : List.copyOf(f.getTags()));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.asText()));
    return List.copyOf(out);
  }
}
