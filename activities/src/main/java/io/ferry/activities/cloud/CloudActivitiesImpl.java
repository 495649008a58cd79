package io.ferry.activities.cloud;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ComputePort;
import io.ferry.activities.port.ComputePort.DropletInfo;
import io.ferry.activities.port.ComputePort.DropletSpec;
import io.ferry.activities.port.ComputePort.FirewallInfo;
import io.ferry.activities.port.ComputePort.FirewallSpec;
import io.ferry.activities.port.ComputePort.VolumeInfo;
import io.ferry.activities.port.ComputePort.VolumeSpec;
import io.ferry.activities.port.DnsPort;
import io.ferry.activities.port.DnsPort.DomainRecord;
import io.ferry.contract.CloudActivities;
import io.temporal.activity.Activity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link CloudActivities} over the compute and DNS ports. */
public final class CloudActivitiesImpl implements CloudActivities {

  private static final Logger log = LoggerFactory.getLogger(CloudActivitiesImpl.class);

  private final ComputePort compute;
  private final DnsPort dns;
  private final SecretResolver secrets;
  private final Polling polling;

  public CloudActivitiesImpl(
      ComputePort compute, DnsPort dns, SecretResolver secrets, Polling polling) {
    this.compute = compute;
    this.dns = dns;
    this.secrets = secrets;
    this.polling = polling;
  }

  @Override
  public Droplet createDroplet(DropletRequest request) {
    String tag = Keys.marker(Failures.require("key", request.key()));
    Failures.require("name", request.name());
    DropletInfo droplet =
        compute
            .findDroplet(tag)
            .orElseGet(
                () -> {
                  List<String> tags = new ArrayList<>(orEmpty(request.tags()));
                  tags.add(tag);
                  DropletInfo made =
                      compute.createDroplet(
                          new DropletSpec(
                              request.name(),
                              Failures.require("region", request.region()),
                              Failures.require("size", request.size()),
                              Failures.require("image", request.image()),
                              request.vpc(),
                              List.copyOf(tags),
                              orEmpty(request.sshKeys()),
                              request.hostKey() == null ? null : cloudInit(request)));
                  log.info("created droplet {} ({})", made.name(), made.id());
                  return made;
                });
    return toDroplet(droplet);
  }

  /** Cloud-init that installs the host key Ferry pins, so SSH can verify the new host. */
  private String cloudInit(DropletRequest request) {
    String key = secrets.resolve(request.hostKey());
    String indented = key.lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    return "#cloud-config\nssh_deletekeys: true\nssh_keys:\n  ed25519_private: |\n"
        + indented
        + "\n";
  }

  @Override
  public Droplet waitDropletActive(ResourceKey key) {
    String tag = Keys.marker(key.key());
    DropletInfo found =
        compute
            .findDroplet(tag)
            .orElseThrow(() -> Failures.notFound("no droplet carries the tag " + tag));
    Instant deadline = Instant.now().plus(polling.timeout());
    while (true) {
      DropletInfo now =
          compute
              .droplet(found.id())
              .orElseThrow(() -> Failures.notFound("droplet " + found.id() + " disappeared"));
      if ("active".equals(now.status())) {
        return toDroplet(now);
      }
      Activity.getExecutionContext().heartbeat(now.status());
      if (Instant.now().isAfter(deadline)) {
        // Retryable: the next attempt keeps waiting, within the activity's own timeout.
        throw new IllegalStateException(
            "droplet "
                + now.name()
                + " is still "
                + now.status()
                + " after "
                + polling.timeout().toSeconds()
                + " s");
      }
      polling.pause();
    }
  }

  @Override
  public void destroyDroplet(ResourceKey key) {
    compute
        .findDroplet(Keys.marker(key.key()))
        .ifPresent(
            d -> {
              compute.destroyDroplet(d.id());
              log.info("destroyed droplet {} ({})", d.name(), d.id());
            });
  }

  @Override
  public Volume createVolume(VolumeRequest request) {
    String tag = Keys.marker(Failures.require("key", request.key()));
    DropletInfo droplet = requireDroplet(request.dropletKey());
    VolumeInfo volume =
        compute
            .findVolume(tag)
            .orElseGet(
                () ->
                    compute.createVolume(
                        new VolumeSpec(
                            Failures.require("name", request.name()),
                            Failures.require("region", request.region()),
                            positive("sizeGb", request.sizeGb()),
                            List.of(tag))));
    if (volume.attachedTo() != droplet.id()) {
      if (volume.attachedTo() != 0) {
        compute.detachVolume(volume.id());
      }
      compute.attachVolume(volume.id(), droplet.id());
    }
    return new Volume(volume.id(), volume.name(), volume.sizeGb(), droplet.id());
  }

  @Override
  public void deleteVolume(ResourceKey key) {
    compute
        .findVolume(Keys.marker(key.key()))
        .ifPresent(
            v -> {
              if (v.attachedTo() != 0) {
                compute.detachVolume(v.id());
              }
              compute.deleteVolume(v.id());
            });
  }

  @Override
  public Firewall createFirewall(FirewallRequest request) {
    String tag = Keys.marker(Failures.require("key", request.key()));
    DropletInfo droplet = requireDroplet(request.dropletKey());
    if (request.ports() == null || request.ports().isEmpty()) {
      throw Failures.invalidInput("ports: name at least one inbound port");
    }
    FirewallInfo firewall =
        compute
            .findFirewall(tag)
            .orElseGet(
                () ->
                    compute.createFirewall(
                        new FirewallSpec(
                            Failures.require("name", request.name()),
                            List.copyOf(request.ports()),
                            request.sources() == null || request.sources().isEmpty()
                                ? List.of("0.0.0.0/0")
                                : List.copyOf(request.sources()),
                            List.of(droplet.id()),
                            List.of(tag))));
    return new Firewall(firewall.id(), firewall.name(), firewall.ports());
  }

  @Override
  public void deleteFirewall(ResourceKey key) {
    compute.findFirewall(Keys.marker(key.key())).ifPresent(f -> compute.deleteFirewall(f.id()));
  }

  @Override
  public DnsRecords readDnsRecords(DnsQuery query) {
    Failures.require("domain", query.domain());
    List<DnsRecord> out = new ArrayList<>();
    List<DomainRecord> all = dns.records(query.domain());
    for (DnsName name : orEmpty(query.names())) {
      for (DomainRecord r : all) {
        if (r.name().equals(name.name()) && r.type().equals(type(name.type()))) {
          out.add(new DnsRecord(r.name(), r.type(), r.data(), r.ttl()));
        }
      }
    }
    return new DnsRecords(query.domain(), List.copyOf(out));
  }

  @Override
  public DnsRecords writeDnsRecords(DnsChange change) {
    String domain = Failures.require("domain", change.domain());
    Map<DnsName, List<DnsRecord>> wanted = new LinkedHashMap<>();
    for (DnsName managed : orEmpty(change.names())) {
      wanted.put(
          new DnsName(Failures.require("names.name", managed.name()), type(managed.type())),
          new ArrayList<>());
    }
    for (DnsRecord r : orEmpty(change.records())) {
      Failures.require("records.name", r.name());
      Failures.require("records.data", r.data());
      if (r.ttl() < 30) {
        throw Failures.invalidInput("records." + r.name() + ".ttl must be at least 30 s");
      }
      List<DnsRecord> slot = wanted.get(new DnsName(r.name(), type(r.type())));
      if (slot == null) {
        throw Failures.invalidInput(
            "record "
                + r.name()
                + " "
                + type(r.type())
                + " is not among the names this change manages");
      }
      slot.add(r);
    }
    List<DomainRecord> existing = dns.records(domain);
    List<DnsName> names = List.copyOf(wanted.keySet());
    wanted.forEach(
        (managed, want) -> {
          String name = managed.name();
          String type = managed.type();
          List<DomainRecord> have =
              existing.stream()
                  .filter(r -> r.name().equals(name) && r.type().equals(type))
                  .toList();
          for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
            if (i >= want.size()) {
              dns.delete(domain, have.get(i).id());
            } else if (i >= have.size()) {
              dns.create(domain, name, type, want.get(i).data(), want.get(i).ttl());
            } else if (!have.get(i).data().equals(want.get(i).data())
                || have.get(i).ttl() != want.get(i).ttl()) {
              dns.update(domain, have.get(i).id(), want.get(i).data(), want.get(i).ttl());
            }
          }
        });
    return readDnsRecords(new DnsQuery(domain, names));
  }

  private DropletInfo requireDroplet(String dropletKey) {
    String tag = Keys.marker(Failures.require("dropletKey", dropletKey));
    return compute
        .findDroplet(tag)
        .orElseThrow(() -> Failures.notFound("no droplet carries the tag " + tag));
  }

  private static Droplet toDroplet(DropletInfo d) {
    return new Droplet(d.id(), d.name(), d.status(), d.privateIp(), d.publicIp());
  }

  private static int positive(String field, int value) {
    if (value <= 0) {
      throw Failures.invalidInput(field + " must be positive, was " + value);
    }
    return value;
  }

  private static String type(String type) {
    return type == null ? "A" : type;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  @Override
  public Snapshot snapshotDroplet(SnapshotRequest request) {
    String name = Failures.require("name", request.name());
    java.util.Optional<ComputePort.SnapshotInfo> found =
        compute.findSnapshot(request.dropletId(), name);
    if (found.isEmpty()) {
      if (compute.droplet(request.dropletId()).isEmpty()) {
        throw Failures.notFound("droplet " + request.dropletId() + " does not exist");
      }
      compute.snapshotDroplet(request.dropletId(), name);
    }
    Instant deadline = Instant.now().plus(polling.timeout());
    while ((found = compute.findSnapshot(request.dropletId(), name)).isEmpty()) {
      Activity.getExecutionContext().heartbeat("snapshotting");
      if (Instant.now().isAfter(deadline)) {
        // retryable: the next attempt finds the snapshot in progress and keeps waiting
        throw new IllegalStateException("snapshot " + name + " is not done yet");
      }
      polling.pause();
    }
    ComputePort.SnapshotInfo s = found.get();
    return new Snapshot(s.id(), s.name(), s.dropletId(), s.sizeGigabytes());
  }

  @Override
  public void deleteSnapshot(SnapshotRequest request) {
    compute
        .findSnapshot(request.dropletId(), Failures.require("name", request.name()))
        .ifPresent(s -> compute.deleteSnapshot(s.id()));
  }

  @Override
  public void destroyDropletById(DropletId droplet) {
    if (compute.droplet(droplet.id()).isPresent()) {
      compute.destroyDroplet(droplet.id());
    }
  }
}
