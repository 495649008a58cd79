package io.ferry.activities.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.activities.SimFixture;
import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.Droplet;
import io.ferry.contract.CloudActivities.DropletRequest;
import io.ferry.contract.CloudActivities.Firewall;
import io.ferry.contract.CloudActivities.FirewallRequest;
import io.ferry.contract.CloudActivities.ResourceKey;
import io.ferry.contract.CloudActivities.Volume;
import io.ferry.contract.CloudActivities.VolumeRequest;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The compute adapter, driven through the real {@link CloudActivities} against the fake DO. */
class DigitalOceanComputeTest {

  private static final String KEY = "weaviate-first-orchestra-prod/create-vector-droplet";
  private static final String HOST_KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
          + "-----END OPENSSH PRIVATE KEY-----";

  private final DoFixture f = new DoFixture();
  private final CloudActivities cloud = f.cloud();
  @TempDir Path dir;

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      f.close();
    }
  }

  private DropletRequest droplet(String key, SecretRef hostKey) {
    return new DropletRequest(
        key,
        "vector-fra1-01",
        "fra1",
        "s-4vcpu-8gb",
        "ubuntu-24-04-x64",
        "5a4981aa-9653-4bd1-bef5-d6bff52042e4",
        List.of("orchestra", "vector"),
        List.of(),
        hostKey);
  }

  @Test
  void createDroplet_twice_makesOneDropletAndSendsTheVpcAndMarkerTag() {
    Droplet first = cloud.createDroplet(droplet(KEY, null));
    Droplet second = cloud.createDroplet(droplet(KEY, null));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(f.fake.dropletCount()).isEqualTo(1);
    assertThat(f.fake.requests()).filteredOn(r -> r.equals("POST /v2/droplets")).hasSize(1);
    assertThat(f.fake.requestBodies())
        .anySatisfy(
            b ->
                assertThat(b)
                    .contains("\"vpc_uuid\":\"5a4981aa-9653-4bd1-bef5-d6bff52042e4\"")
                    .contains("ferry:weaviate-first-orchestra-prod_create-vector-droplet"));
  }

  @Test
  void findDroplet_matchesTheTagExactly_notADropletWithAnotherTag() {
    f.fake.seedDroplet("other", "fra1", List.of("ferry:weaviate-first-orchestra-prod_other"));

    assertThat(f.compute.findDroplet("ferry:weaviate-first-orchestra-prod_create-vector-droplet"))
        .isEmpty();
    assertThat(f.fake.requests())
        .anyMatch(r -> r.startsWith("GET /v2/droplets?") && r.contains("tag_name=ferry"));
  }

  @Test
  void waitDropletActive_pollsUntilActiveAndReturnsTheAddresses() {
    cloud.createDroplet(droplet(KEY, null));

    Droplet active = cloud.waitDropletActive(new ResourceKey(KEY));

    assertThat(active.status()).isEqualTo("active");
    assertThat(active.privateIp()).startsWith("10.120.0.");
    assertThat(active.publicIp()).startsWith("164.90.");
  }

  @Test
  void createDroplet_withAHostKey_sendsItAsUserDataAndNeverLogsItOrTheToken() throws Exception {
    Path key = dir.resolve("host_ed25519");
    Files.writeString(key, HOST_KEY + "\n");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    ch.qos.logback.classic.Level before = root.getLevel();
    root.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try {
      cloud.createDroplet(droplet(KEY, SecretRef.of("file:" + key)));
      cloud.waitDropletActive(new ResourceKey(KEY));
    } finally {
      root.setLevel(before);
      root.detachAppender(logs);
    }

    assertThat(f.fake.requestBodies())
        .anyMatch(b -> b.contains("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"));
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list)
        .allSatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .doesNotContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ")
                    .doesNotContain(FakeDigitalOcean.TOKEN));
  }

  @Test
  void createVolume_attachesAndWaitsForTheAction_deleteVolume_detachesFirst() {
    Droplet d = cloud.createDroplet(droplet(KEY, null));
    cloud.waitDropletActive(new ResourceKey(KEY));

    Volume v =
        cloud.createVolume(new VolumeRequest("plan/volume", "vector-data", "fra1", 160, KEY));
    Volume again =
        cloud.createVolume(new VolumeRequest("plan/volume", "vector-data", "fra1", 160, KEY));

    assertThat(again.id()).isEqualTo(v.id());
    assertThat(f.fake.volume(v.id()).path("droplet_ids").get(0).asLong()).isEqualTo(d.id());
    assertThat(f.fake.requests()).filteredOn(r -> r.startsWith("POST /v2/volumes/")).hasSize(1);
    assertThat(f.fake.requests()).anyMatch(r -> r.startsWith("GET /v2/actions/"));

    cloud.deleteVolume(new ResourceKey("plan/volume"));
    cloud.deleteVolume(new ResourceKey("plan/volume"));

    assertThat(f.fake.volume(v.id())).isNull();
    assertThat(f.fake.requests()).filteredOn(r -> r.startsWith("DELETE /v2/volumes/")).hasSize(1);
  }

  @Test
  void createFirewall_isFoundByItsTagOnRetry_andDeleteIsANoOpTheSecondTime() {
    cloud.createDroplet(droplet(KEY, null));
    FirewallRequest request =
        new FirewallRequest(
            "plan/firewall", "vector-fw", KEY, List.of(22, 8080), List.of("10.120.0.0/20"));

    Firewall first = cloud.createFirewall(request);
    Firewall second = cloud.createFirewall(request);

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(first.ports()).containsExactly(22, 8080);
    assertThat(f.fake.requestBodies())
        .anyMatch(b -> b.contains("outbound_rules") && b.contains("10.120.0.0/20"));
    cloud.deleteFirewall(new ResourceKey("plan/firewall"));
    cloud.deleteFirewall(new ResourceKey("plan/firewall"));
    assertThat(f.fake.requests()).filteredOn(r -> r.startsWith("DELETE /v2/firewalls/")).hasSize(1);
  }

  @Test
  void destroyDroplet_removesIt_andARepeatFindsNothingToDo() {
    cloud.createDroplet(droplet(KEY, null));

    cloud.destroyDroplet(new ResourceKey(KEY));
    cloud.destroyDroplet(new ResourceKey(KEY));

    assertThat(f.fake.dropletCount()).isZero();
  }

  @Test
  void droplet_unknownId_isEmpty_andDestroyingItIsNotFound() {
    assertThat(f.compute.droplet(424242)).isEmpty();

    ApplicationFailure failure = SimFixture.failureOf(() -> f.compute.destroyDroplet(424242));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("DELETE /v2/droplets/424242", "404", "not_found", "could not be found");
  }

  @Test
  void snapshotDroplet_waitsForTheSnapshot_aSecondCallFindsIt_andDeleteRemovesItOnce() {
    Droplet d = cloud.createDroplet(droplet(KEY, null));
    cloud.waitDropletActive(new ResourceKey(KEY));
    var request = new io.ferry.contract.CloudActivities.SnapshotRequest(d.id(), "vector-final");

    f.compute.snapshotDroplet(d.id(), "vector-final");
    f.compute.snapshotDroplet(d.id(), "vector-final"); // a retry while the action runs
    var snap = cloud.snapshotDroplet(request);
    var again = cloud.snapshotDroplet(request);

    assertThat(snap.name()).isEqualTo("vector-final");
    assertThat(again.id()).isEqualTo(snap.id());
    assertThat(f.fake.requests())
        .filteredOn(r -> r.equals("POST /v2/droplets/" + d.id() + "/actions"))
        .hasSize(1);

    cloud.deleteSnapshot(request);
    cloud.deleteSnapshot(request);
    assertThat(f.compute.findSnapshot(d.id(), "vector-final")).isEmpty();
    assertThat(f.compute.deleteSnapshot(snap.id())).isFalse();
    assertThat(f.fake.requests())
        .filteredOn(r -> r.equals("DELETE /v2/snapshots/" + snap.id()))
        .hasSize(1);
  }

  @Test
  void attachVolume_heartbeatsWhileItsActionRuns_andAnErroredActionFailsRetryably() {
    Droplet d = cloud.createDroplet(droplet(KEY, null));
    cloud.waitDropletActive(new ResourceKey(KEY));
    List<String> beats = new java.util.ArrayList<>();
    DigitalOceanCompute compute =
        new DigitalOceanCompute(f.library, f.api, DoFixture.FAST, beats::add);
    var volume =
        compute.createVolume(
            new io.ferry.activities.port.ComputePort.VolumeSpec(
                "vector-data", "fra1", 160, List.of("ferry:plan_volume")));

    compute.attachVolume(volume.id(), d.id());
    compute.attachVolume(volume.id(), d.id());
    f.fake.failNextAction();
    ApplicationFailure failure = SimFixture.failureOf(() -> compute.detachVolume(volume.id()));

    assertThat(beats).anyMatch(b -> b.contains("attach_volume in-progress"));
    assertThat(f.fake.requests()).filteredOn(r -> r.startsWith("POST /v2/volumes/")).hasSize(2);
    assertThat(failure.getType()).isEqualTo(DoFailures.ACTION_ERRORED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(compute.findVolume("ferry:plan_volume").orElseThrow().attachedTo())
        .isEqualTo(d.id());
  }
}
