package io.ferry.activities.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.Resource;
import io.ferry.contract.CloudActivities.DnsChange;
import io.ferry.contract.CloudActivities.DnsName;
import io.ferry.contract.CloudActivities.DnsQuery;
import io.ferry.contract.CloudActivities.DnsRecord;
import io.ferry.contract.CloudActivities.DnsRecords;
import io.ferry.contract.CloudActivities.Droplet;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.contract.CloudActivities.Firewall;
import io.ferry.contract.CloudActivities.FirewallRequest;
import io.ferry.contract.CloudActivities.ResourceKey;
import io.ferry.contract.CloudActivities.Volume;
import io.ferry.contract.CloudActivities.VolumeRequest;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudActivitiesTest {

  private static final String KEY = "weaviate-first-orchestra-prod/create-vector-droplet";
  private final SimFixture sim = new SimFixture();

  @AfterEach
  void close() {
    sim.close();
  }

  private DropletRequest droplet(String key) {
    return new DropletRequest(
        key,
        "superagi-dev-sfo2-01",
        "sfo2",
        "s-4vcpu-8gb",
        "ubuntu-22-04-x64",
        null,
        List.of("orchestra", "vector"),
        List.of(),
        SecretRef.of("file:/run/secrets/vector_host_ed25519"));
  }

  private Droplet createActiveDroplet() {
    sim.cloud.createDroplet(droplet(KEY));
    return sim.cloud.waitDropletActive(new ResourceKey(KEY));
  }

  @Test
  void createDroplet_twice_returnsTheSameDroplet() {
    Droplet first = sim.cloud.createDroplet(droplet(KEY));
    Droplet second = sim.cloud.createDroplet(droplet(KEY));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(sim.fleet.ledger().snapshot().keySet())
        .filteredOn(k -> k.startsWith("droplet/"))
        .hasSize(1);
  }

  @Test
  void createDroplet_tagsTheDropletWithTheKeyAndStartsNew() {
    Droplet d = sim.cloud.createDroplet(droplet(KEY));

    Resource r = sim.fleet.ledger().snapshot().get("droplet/" + d.id());
    assertThat(d.status()).isEqualTo("new");
    assertThat(d.privateIp()).isNull();
    assertThat(r.attribute("tags"))
        .contains("orchestra", "ferry:weaviate-first-orchestra-prod_create-vector-droplet");
    assertThat(r.attribute("userData")).startsWith("sha256:");
  }

  @Test
  void waitDropletActive_pollsUntilActiveAndReturnsTheAddresses() {
    Droplet active = createActiveDroplet();

    assertThat(active.status()).isEqualTo("active");
    assertThat(active.privateIp()).startsWith("10.120.0.");
    assertThat(active.publicIp()).startsWith("164.90.");
    assertThat(sim.fleet.ledger().journal())
        .extracting(c -> c.describe())
        .contains(
            "~ droplet "
                + active.id()
                + " privateIp ->"
                + active.privateIp()
                + ", publicIp ->"
                + active.publicIp()
                + ", status new->active");
  }

  @Test
  void waitDropletActive_withoutADroplet_failsAsNotFound() {
    assertThat(
            SimFixture.failureOf(() -> sim.cloud.waitDropletActive(new ResourceKey("nothing")))
                .getType())
        .isEqualTo(FailureTypes.NOT_FOUND);
  }

  @Test
  void destroyDroplet_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.cloud.destroyDroplet(new ResourceKey(KEY));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void provisionThenUndo_returnsTheLedgerToItsStart() {
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    createActiveDroplet();
    sim.cloud.createVolume(new VolumeRequest("k/vol", "weaviate-data", "sfo2", 160, KEY));
    sim.cloud.createFirewall(
        new FirewallRequest("k/fw", "vector-fw", KEY, List.of(22, 8080), List.of("10.120.0.0/16")));

    sim.cloud.deleteFirewall(new ResourceKey("k/fw"));
    sim.cloud.deleteVolume(new ResourceKey("k/vol"));
    sim.cloud.destroyDroplet(new ResourceKey(KEY));

    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void createVolume_twice_returnsTheSameVolumeAttachedToTheDroplet() {
    Droplet d = createActiveDroplet();
    VolumeRequest request = new VolumeRequest("k/vol", "weaviate-data", "sfo2", 160, KEY);

    Volume first = sim.cloud.createVolume(request);
    Volume second = sim.cloud.createVolume(request);

    assertThat(second).isEqualTo(first);
    assertThat(first.attachedTo()).isEqualTo(d.id());
    assertThat(first.id()).startsWith("vol-");
  }

  @Test
  void deleteVolume_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.cloud.deleteVolume(new ResourceKey("k/vol"));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void createFirewall_twice_returnsTheSameFirewall() {
    createActiveDroplet();
    FirewallRequest request =
        new FirewallRequest("k/fw", "vector-fw", KEY, List.of(22, 8080), List.of("10.120.0.0/16"));

    Firewall first = sim.cloud.createFirewall(request);

    assertThat(sim.cloud.createFirewall(request)).isEqualTo(first);
    assertThat(first.ports()).containsExactly(22, 8080);
  }

  @Test
  void deleteFirewall_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.cloud.deleteFirewall(new ResourceKey("k/fw"));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void readDnsRecords_findsTheSeededRecords() {
    DnsRecords records =
        sim.cloud.readDnsRecords(
            new DnsQuery(
                "orchestra.example.com",
                List.of(new DnsName("api", "A"), new DnsName("admin", "A"))));

    assertThat(records.records())
        .containsExactly(
            new DnsRecord("api", "A", "203.0.113.10", 3600),
            new DnsRecord("admin", "A", "203.0.113.10", 3600));
  }

  @Test
  void writeDnsRecords_thenRestore_returnsTheLedgerToItsStart() {
    DnsQuery query = new DnsQuery("orchestra.example.com", List.of(new DnsName("api", "A")));
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    DnsRecords previous = sim.cloud.readDnsRecords(query);

    DnsRecords after =
        sim.cloud.writeDnsRecords(
            new DnsChange(
                "orchestra.example.com",
                query.names(),
                List.of(new DnsRecord("api", "A", "164.90.10.20", 900))));
    assertThat(after.records()).containsExactly(new DnsRecord("api", "A", "164.90.10.20", 900));

    sim.cloud.writeDnsRecords(new DnsChange(query.domain(), query.names(), previous.records()));
    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void restoringANameThatHadNoRecord_deletesTheRecordTheCutoverCreated() {
    List<DnsName> managed = List.of(new DnsName("status", "A"));
    DnsQuery query = new DnsQuery("orchestra.example.com", managed);
    sim.cloud.readDnsRecords(new DnsQuery(query.domain(), List.of(new DnsName("api", "A"))));
    DnsRecords previous = sim.cloud.readDnsRecords(query);
    assertThat(previous.records()).isEmpty();
    Map<String, Resource> start = sim.fleet.ledger().snapshot();

    sim.cloud.writeDnsRecords(
        new DnsChange(
            query.domain(), managed, List.of(new DnsRecord("status", "A", "164.90.10.20", 900))));
    assertThat(sim.cloud.readDnsRecords(query).records()).hasSize(1);
    sim.cloud.writeDnsRecords(new DnsChange(query.domain(), managed, previous.records()));

    assertThat(sim.cloud.readDnsRecords(query).records()).isEmpty();
    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void aRecordOutsideTheManagedNames_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                sim.cloud.writeDnsRecords(
                    new DnsChange(
                        "orchestra.example.com",
                        List.of(new DnsName("api", "A")),
                        List.of(new DnsRecord("www", "A", "164.90.10.20", 900)))))
        .hasMessageContaining("record www A is not among the names this change manages");
  }

  @Test
  void readDnsRecords_ofAnUnknownDomain_seedsItOnFirstTouch() {
    DnsRecords records =
        sim.cloud.readDnsRecords(
            new DnsQuery("dev.example.org", List.of(new DnsName("api", null))));

    assertThat(records.records()).extracting(DnsRecord::data).containsExactly("203.0.113.10");
  }
}
