package io.ferry.activities.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.sim.Ledger;
import io.ferry.activities.sim.Resource;
import io.ferry.contract.HostActivities.ComposeProject;
import io.ferry.contract.HostActivities.ComposeRef;
import io.ferry.contract.HostActivities.ComposeState;
import io.ferry.contract.HostActivities.ConfigChange;
import io.ferry.contract.HostActivities.ConfigRestore;
import io.ferry.contract.HostActivities.ConfigSwitch;
import io.ferry.contract.ProbeActivities.WeaviateReady;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.plan.WeaviateTarget;
import io.ferry.runbook.FailureTypes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostActivitiesTest {

  private static final String KEY = "weaviate-first-orchestra-prod/switch-app-config";
  private static final String WEAVIATE_COMPOSE =
      "services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.30.0\n"
          + "    ports: [\"8080:8080\"]\n";
  private final SimFixture sim = new SimFixture();
  private final SshTarget app = sim.plan.appNode();

  @AfterEach
  void close() {
    sim.close();
  }

  private ConfigChange change() {
    return new ConfigChange(
        app, sim.plan.app().configFile(), sim.plan.app().settings(), sim.plan.app().service(), KEY);
  }

  private ConfigRestore restore() {
    return new ConfigRestore(app, sim.plan.app().configFile(), sim.plan.app().service(), KEY);
  }

  @Test
  void switchConfig_thenRestore_returnsTheLedgerToItsStart() {
    Map<String, Resource> start = sim.fleet.ledger().snapshot();

    ConfigSwitch result = sim.host.switchConfig(change());
    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isNotEmpty();
    sim.host.restoreConfig(restore());

    assertThat(result.previous())
        .containsEntry("USE_WEAVIATE", "false")
        .containsEntry("USE_DRAGONFLY", "true")
        .containsEntry("ENABLE_MICRO_CACHE", "false");
    assertThat(result.backupPath()).isEqualTo("/opt/orchestra/.env.ferry-" + KEY.replace('/', '_'));
    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void switchConfig_twice_keepsTheOriginalAndReportsItsValues() {
    ConfigSwitch first = sim.host.switchConfig(change());
    ConfigSwitch second = sim.host.switchConfig(change());

    assertThat(second).isEqualTo(first);
    Map<String, Resource> afterTwo = sim.fleet.ledger().snapshot();
    sim.host.restoreConfig(restore());
    assertThat(Ledger.differences(afterTwo, sim.fleet.ledger().snapshot(), false))
        .anyMatch(line -> line.startsWith("~ file 10.120.0.5:/opt/orchestra/.env sha256"));
  }

  @Test
  void switchConfig_restartsTheService() {
    sim.host.switchConfig(change());

    assertThat(sim.fleet.ledger().journal())
        .extracting(c -> c.describe())
        .containsSubsequence(
            "~ service 10.120.0.5:orchestra-api state active->restarting",
            "~ service 10.120.0.5:orchestra-api state restarting->active");
  }

  @Test
  void switchConfig_ofAMissingFile_failsAsNotFound() {
    ConfigChange missing =
        new ConfigChange(app, "/opt/other/.env.production", Map.of("A", "b"), "orchestra-api", KEY);

    assertThat(SimFixture.failureOf(() -> sim.host.switchConfig(missing)).getType())
        .isEqualTo(FailureTypes.NOT_FOUND);
  }

  @Test
  void restoreConfig_withNothingKept_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.host.restoreConfig(restore());

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void composeUp_startsWeaviateSoItAnswersReady() {
    SshTarget vector = app.atHost("10.120.0.50");
    WeaviateTarget weaviate =
        new WeaviateTarget("http://10.120.0.50:8080", SecretRef.of("env:KEY"));
    ComposeProject project =
        new ComposeProject(
            vector,
            "/opt/weaviate",
            "weaviate",
            WEAVIATE_COMPOSE,
            Map.of("AUTHENTICATION_APIKEY_ALLOWED_KEYS", SecretRef.of("env:ORG_WEAVIATE_API_KEY")));

    assertThat(
            SimFixture.failureOf(
                    () ->
                        sim.probe.weaviateReady(
                            new WeaviateReady(weaviate, null, Duration.ofMillis(30))))
                .getType())
        .isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    ComposeState state = sim.host.composeUp(project);

    assertThat(state.services()).containsExactly("weaviate");
    assertThat(sim.host.composeUp(project)).isEqualTo(state);
    assertThat(
            sim.probe
                .weaviateReady(new WeaviateReady(weaviate, Duration.ofSeconds(1), null))
                .passed())
        .isTrue();
    assertThat(
            sim.fleet
                .ledger()
                .snapshot()
                .get("file/10.120.0.50:/opt/weaviate/.env")
                .attribute("mode"))
        .isEqualTo("0600");
  }

  @Test
  void composeDown_removesTheProjectAndItsFiles() {
    SshTarget vector = app.atHost("10.120.0.50");
    Map<String, Resource> start = sim.fleet.ledger().snapshot();
    sim.host.composeUp(
        new ComposeProject(vector, "/opt/weaviate", "weaviate", WEAVIATE_COMPOSE, Map.of()));

    sim.host.composeDown(new ComposeRef(vector, "/opt/weaviate", "weaviate"));

    assertThat(Ledger.differences(start, sim.fleet.ledger().snapshot(), false)).isEmpty();
  }

  @Test
  void composeDown_withNothingToUndo_isANoOp() {
    Map<String, Resource> before = sim.fleet.ledger().snapshot();

    sim.host.composeDown(new ComposeRef(app.atHost("10.120.0.50"), "/opt/weaviate", "weaviate"));

    assertThat(sim.fleet.ledger().snapshot()).isEqualTo(before);
  }

  @Test
  void sshToADestroyedDroplet_isRefusedRetryably() {
    var request =
        new io.ferry.contract.CloudActivities.DropletRequest(
            "k", "vec", "sfo2", "s-1vcpu-1gb", "ubuntu-22-04-x64", null, null, null, null);
    sim.cloud.createDroplet(request);
    var active =
        sim.cloud.waitDropletActive(new io.ferry.contract.CloudActivities.ResourceKey("k"));
    ComposeProject project =
        new ComposeProject(
            app.atHost(active.privateIp()), "/opt/w", "w", WEAVIATE_COMPOSE, Map.of());
    sim.host.composeUp(project);
    sim.cloud.destroyDroplet(new io.ferry.contract.CloudActivities.ResourceKey("k"));

    var failure = SimFixture.failureOf(() -> sim.host.composeUp(project));

    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("Connection refused");
  }
}
