package io.ferry.activities.digitalocean;

import static io.ferry.activities.SimFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.SimFixture;
import io.ferry.activities.files.LocalWorkerFiles;
import io.ferry.activities.platform.AppPlatformActivitiesImpl;
import io.ferry.activities.platform.ManagedDatabaseActivitiesImpl;
import io.ferry.activities.platform.RegistryActivitiesImpl;
import io.ferry.contract.AppPlatformActivities;
import io.ferry.contract.AppPlatformActivities.AppDeployment;
import io.ferry.contract.AppPlatformActivities.AppQuery;
import io.ferry.contract.AppPlatformActivities.AppState;
import io.ferry.contract.AppPlatformActivities.AppUndo;
import io.ferry.contract.AppPlatformActivities.Deployed;
import io.ferry.contract.AppPlatformActivities.DeploymentWatch;
import io.ferry.contract.AppPlatformActivities.ImageRef;
import io.ferry.contract.AppPlatformActivities.LiveApp;
import io.ferry.contract.AppPlatformActivities.MigrationRun;
import io.ferry.contract.AppPlatformActivities.SpecCheck;
import io.ferry.contract.AppPlatformActivities.SpecSource;
import io.ferry.contract.AppPlatformActivities.SpecSources;
import io.ferry.contract.ManagedDatabaseActivities;
import io.ferry.contract.ManagedDatabaseActivities.BackupCheck;
import io.ferry.contract.ManagedDatabaseActivities.BackupCheckRequest;
import io.ferry.contract.RegistryActivities;
import io.ferry.contract.RegistryActivities.RegistryInfo;
import io.ferry.contract.RegistryActivities.RegistryQuery;
import io.ferry.plan.SecretRef;
import io.ferry.runbook.FailureTypes;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app-platform roadmap's activity implementations over the real DigitalOcean adapters, against
 * the fake DO that checks every request and answer against DO's API reference. Ports the tested
 * calls never reach (SSH hosts, PostgreSQL, Valkey) are not wired.
 */
class DigitalOceanAppActivitiesTest {

  private static final String STAGING_DB = "postgresql://app:staging-Pa55word@db:25060/app";
  private static final String PROD_DB = "postgresql://app:prod-Pa55word@db:25060/app";
  private static final Instant NOW = Instant.parse("2026-11-12T12:00:00Z");

  private final DoFixture f = new DoFixture();
  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final AppPlatformActivities apps;
  private final RegistryActivities registry;
  private final ManagedDatabaseActivities databases;
  @TempDir Path dir;

  DigitalOceanAppActivitiesTest() {
    SecretResolver secrets =
        SecretResolver.withEnvironment(
            Map.of("STAGING_DATABASE_URL", STAGING_DB, "PROD_DATABASE_URL", PROD_DB)::get);
    env.registerActivitiesImplementations(
        new AppPlatformActivitiesImpl(
            new DigitalOceanApps(f.api), null, new LocalWorkerFiles(), secrets, DoFixture.FAST),
        new RegistryActivitiesImpl(new DigitalOceanRegistry(f.api), null, secrets),
        new ManagedDatabaseActivitiesImpl(
            null,
            null,
            new DigitalOceanDatabases(f.api),
            null,
            secrets,
            Clock.fixed(NOW, ZoneOffset.UTC)));
    ActivityOptions options = SimFixture.ONE_ATTEMPT;
    apps = env.newActivityStub(AppPlatformActivities.class, options);
    registry = env.newActivityStub(RegistryActivities.class, options);
    databases = env.newActivityStub(ManagedDatabaseActivities.class, options);
  }

  @AfterEach
  void close() {
    try {
      f.assertNoViolations();
    } finally {
      env.close();
      f.close();
    }
  }

  /** The app's spec file as its team wrote it: built from GitHub, with a PRE_DEPLOY job. */
  private String specFile() throws Exception {
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, DoFixture.APP_SPEC);
    return file.toString();
  }

  private SpecSource source(String app, String tag, String secretVariable) throws Exception {
    return new SpecSource(
        specFile(),
        app,
        "lightclick",
        List.of(
            new ImageRef("backend", "lightclick-backend", tag),
            new ImageRef("frontend", "lightclick-frontend", tag),
            new ImageRef("worker", "lightclick-worker", tag),
            new ImageRef("migrate", "lightclick-backend", tag)),
        Map.of("DATABASE_URL", SecretRef.of("env:" + secretVariable)));
  }

  private LiveApp deployAndWait(SpecSource source) {
    AppState before = apps.findApp(new AppQuery(source.appName()));
    Deployed deployed = apps.deploy(new AppDeployment(source, before));
    return apps.waitActive(new DeploymentWatch(deployed.appId(), deployed.deploymentId(), null));
  }

  @Test
  void staging_isCreatedFromTheSpecWithImageTagsAndSecretEnv_andGoesActive() throws Exception {
    SpecSource staging = source("lightclick-staging", "v2.4.0", "STAGING_DATABASE_URL");

    SpecCheck check = apps.validateSpecs(new SpecSources(List.of(staging)));
    AppState before = apps.findApp(new AppQuery("lightclick-staging"));
    Deployed deployed = apps.deploy(new AppDeployment(staging, before));
    Deployed retried = apps.deploy(new AppDeployment(staging, before));
    LiveApp live =
        apps.waitActive(new DeploymentWatch(deployed.appId(), deployed.deploymentId(), null));
    AppState after = apps.findApp(new AppQuery("lightclick-staging"));

    assertThat(check.components()).containsExactly("backend", "frontend", "worker", "migrate");
    assertThat(before.exists()).isFalse();
    assertThat(deployed.created()).isTrue();
    // a retry of the step finds what its first attempt made
    assertThat(retried).isEqualTo(deployed);
    assertThat(f.fake.requests().stream().filter("POST /v2/apps"::equals)).hasSize(1);
    assertThat(live.deploymentId()).isEqualTo(deployed.deploymentId());
    assertThat(live.liveUrl()).startsWith("https://lightclick-staging-");
    assertThat(live.ingressHost()).isEqualTo("lightclick-staging-x7k2q.ondigitalocean.app");
    assertThat(after.activeDeploymentId()).isEqualTo(deployed.deploymentId());

    JsonNode stored = f.fake.appSpec(deployed.appId());
    assertThat(stored.at("/services/0/image/repository").asText()).isEqualTo("lightclick-backend");
    assertThat(stored.at("/services/0/image/tag").asText()).isEqualTo("v2.4.0");
    assertThat(stored.at("/jobs/0/image/tag").asText()).isEqualTo("v2.4.0");
    assertThat(stored.at("/services/0/github").isMissingNode()).isTrue();
    assertThat(stored.get("envs").findValuesAsText("key")).contains("LOG_LEVEL", "DATABASE_URL");
    assertThat(stored.toString()).doesNotContain(STAGING_DB);
    // the proposal carried a stand-in, the create the real value; no result carries it
    assertThat(f.fake.requestBodies())
        .filteredOn(b -> b.contains(STAGING_DB))
        .hasSize(1)
        .allMatch(b -> b.contains("\"type\":\"SECRET\""));
    assertThat(List.of(check, before, deployed, live, after).toString()).doesNotContain(STAGING_DB);
  }

  @Test
  void aSpecAppPlatformRejects_failsNamingTheSpecPath() throws Exception {
    SpecSource withoutWorkerImage =
        new SpecSource(
            specFile(),
            "lightclick-staging",
            "lightclick",
            List.of(new ImageRef("backend", "lightclick-backend", "v2.4.0")),
            Map.of());
    Files.writeString(
        Path.of(withoutWorkerImage.path()),
        """
        name: lightclick
        services:
          - name: backend
            http_port: 8000
          - name: frontend
            http_port: 3000
        """);

    ApplicationFailure failure =
        failureOf(() -> apps.validateSpecs(new SpecSources(List.of(withoutWorkerImage))));

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .contains("App Platform rejects the spec")
        .contains("services.frontend: a source (image, git, github, gitlab) is required");
  }

  @Test
  void aFailingDeployment_surfacesItsPhaseStepReasonAndLogsUrl() throws Exception {
    LiveApp first = deployAndWait(source("lightclick-staging", "v2.4.0", "STAGING_DATABASE_URL"));
    f.fake.failNextBuild(
        first.appId(), "backend", "manifest for lightclick-backend:v2.5.0 not found");
    AppState before = apps.findApp(new AppQuery("lightclick-staging"));
    Deployed deployed =
        apps.deploy(
            new AppDeployment(
                source("lightclick-staging", "v2.5.0", "STAGING_DATABASE_URL"), before));

    ApplicationFailure failure =
        failureOf(
            () ->
                apps.waitActive(
                    new DeploymentWatch(deployed.appId(), deployed.deploymentId(), null)));

    assertThat(deployed.created()).isFalse();
    assertThat(deployed.deploymentId()).isNotEqualTo(first.deploymentId());
    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.getOriginalMessage())
        .contains("deployment " + deployed.deploymentId() + " ended ERROR")
        .contains("at step build (component backend)")
        .contains("manifest for lightclick-backend:v2.5.0 not found")
        .contains(
            "logs: https://logs.ondigitalocean.app/"
                + deployed.deploymentId()
                + "/backend/build/archive-1.log");
    assertThat(f.fake.requests())
        .contains(
            "GET /v2/apps/"
                + deployed.appId()
                + "/deployments/"
                + deployed.deploymentId()
                + "/components/backend/logs?type=BUILD");
  }

  @Test
  void production_updateThenUndo_rollsBackToThePreviousDeploymentWithoutPinning() throws Exception {
    LiveApp previous = deployAndWait(source("lightclick-prod", "v2.3.0", "PROD_DATABASE_URL"));
    AppState before = apps.findApp(new AppQuery("lightclick-prod"));
    Deployed update =
        apps.deploy(
            new AppDeployment(source("lightclick-prod", "v2.4.0", "PROD_DATABASE_URL"), before));
    LiveApp updated =
        apps.waitActive(new DeploymentWatch(update.appId(), update.deploymentId(), null));

    apps.undoDeploy(new AppUndo("lightclick-prod", before));
    AppState rolledBack = apps.findApp(new AppQuery("lightclick-prod"));
    apps.undoDeploy(new AppUndo("lightclick-prod", before));
    LiveApp next = deployAndWait(source("lightclick-prod", "v2.4.1", "PROD_DATABASE_URL"));

    assertThat(before.activeDeploymentId()).isEqualTo(previous.deploymentId());
    assertThat(update.created()).isFalse();
    assertThat(update.appId()).isEqualTo(previous.appId());
    assertThat(updated.deploymentId()).isNotEqualTo(previous.deploymentId());
    assertThat(rolledBack.activeDeploymentId())
        .isNotIn(previous.deploymentId(), updated.deploymentId());
    assertThat(f.fake.appSpec(previous.appId()).at("/services/0/image/tag").asText())
        .isEqualTo("v2.4.1");
    assertThat(f.fake.requestBodies())
        .filteredOn(b -> b.contains("\"skip_pin\""))
        .singleElement()
        .satisfies(
            b ->
                assertThat(b)
                    .contains("\"deployment_id\":\"" + previous.deploymentId() + "\"")
                    .contains("\"skip_pin\":true"));
    // the rollback went live: the second undo had nothing to do
    assertThat(f.fake.requests().stream().filter(r -> r.endsWith("/rollback"))).hasSize(1);
    assertThat(next.deploymentId()).isNotEqualTo(rolledBack.activeDeploymentId());
  }

  @Test
  void aRetriedUndo_waitsForTheRollbackItsFirstAttemptStarted_insteadOfStartingAnother()
      throws Exception {
    LiveApp previous = deployAndWait(source("lightclick-prod", "v2.3.0", "PROD_DATABASE_URL"));
    AppState before = apps.findApp(new AppQuery("lightclick-prod"));
    LiveApp updated = deployAndWait(source("lightclick-prod", "v2.4.0", "PROD_DATABASE_URL"));
    // the first attempt of the undo started the rollback, then its worker went away
    String started =
        new DigitalOceanApps(f.api).rollback(previous.appId(), previous.deploymentId()).id();

    apps.undoDeploy(new AppUndo("lightclick-prod", before));

    assertThat(f.fake.requests().stream().filter(r -> r.endsWith("/rollback"))).hasSize(1);
    assertThat(apps.findApp(new AppQuery("lightclick-prod")).activeDeploymentId())
        .isEqualTo(started)
        .isNotEqualTo(updated.deploymentId());
  }

  @Test
  void undoOfACreatedApp_deletesIt_andASecondUndoFindsNothingToDo() throws Exception {
    AppState before = apps.findApp(new AppQuery("lightclick-staging"));
    Deployed deployed =
        apps.deploy(
            new AppDeployment(
                source("lightclick-staging", "v2.4.0", "STAGING_DATABASE_URL"), before));

    apps.undoDeploy(new AppUndo("lightclick-staging", before));
    apps.undoDeploy(new AppUndo("lightclick-staging", before));

    assertThat(apps.findApp(new AppQuery("lightclick-staging")).exists()).isFalse();
    assertThat(f.fake.requests().stream().filter(r -> r.startsWith("DELETE /v2/apps/")))
        .containsExactly("DELETE /v2/apps/" + deployed.appId());
  }

  @Test
  void thePreDeployMigrationJob_isCheckedInTheLiveDeployment() throws Exception {
    LiveApp live = deployAndWait(source("lightclick-staging", "v2.4.0", "STAGING_DATABASE_URL"));

    AppPlatformActivities.MigrationsDone done =
        apps.runMigrations(
            new MigrationRun(
                "migrate", null, null, null, Map.of(), live.appId(), live.deploymentId()));

    assertThat(done.how()).isEqualTo("pre-deploy job migrate");
    assertThat(done.detail()).contains(live.deploymentId());
  }

  @Test
  void checkRegistry_findsTheAccountsRegistryAndTheTagsPushedAlready() {
    f.fake.seedRegistry(
        "lightclick",
        Map.of("lightclick-backend", List.of("v2.3.0", "v2.4.0"), "lightclick-worker", List.of()));

    RegistryInfo info =
        registry.checkRegistry(
            new RegistryQuery(
                "lightclick",
                List.of("lightclick-backend", "lightclick-frontend", "lightclick-worker"),
                "v2.4.0"));
    ApplicationFailure other =
        failureOf(() -> registry.checkRegistry(new RegistryQuery("other", List.of(), "v1")));

    assertThat(info.name()).isEqualTo("lightclick");
    assertThat(info.region()).isEqualTo("fra1");
    assertThat(info.existingTags()).containsExactly("lightclick-backend:v2.4.0");
    assertThat(other.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(other.getOriginalMessage()).contains("the account's registry is lightclick");
  }

  @Test
  void checkRegistry_withoutARegistry_isNotFound() {
    ApplicationFailure failure =
        failureOf(
            () -> registry.checkRegistry(new RegistryQuery("lightclick", List.of(), "v2.4.0")));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(failure.getOriginalMessage()).contains("has no container registry");
  }

  private BackupCheckRequest managed(String cluster, Duration maxAge) {
    return new BackupCheckRequest("managed", cluster, maxAge, null, null, null, "k");
  }

  @Test
  void aRecentManagedBackup_passes_anOldOneOrNoneIsRefused_andAnUnknownClusterIsNotFound() {
    String cluster = f.fake.seedDatabase("lightclick-db", "pg", 3);
    String fresh = f.fake.seedDatabase("lightclick-new", "pg", 0);

    BackupCheck recent = databases.verifyBackup(managed(cluster, Duration.ofHours(24)));
    ApplicationFailure stale =
        failureOf(() -> databases.verifyBackup(managed(cluster, Duration.ofHours(1))));
    ApplicationFailure none =
        failureOf(() -> databases.verifyBackup(managed(fresh, Duration.ofHours(24))));
    ApplicationFailure unknown =
        failureOf(
            () ->
                databases.verifyBackup(
                    managed("00000000-0000-4000-8000-000000000000", Duration.ofHours(24))));

    assertThat(recent.takenAt()).isEqualTo(Instant.parse("2026-11-12T02:00:00Z"));
    assertThat(recent.location()).isEqualTo(cluster + "@2026-11-12T02:00:00Z");
    assertThat(recent.sizeBytes()).isEqualTo((long) (2.25 * 1024 * 1024 * 1024));
    assertThat(stale.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(stale.getOriginalMessage()).contains("older than 1 h");
    assertThat(none.getOriginalMessage()).contains("has no backup yet");
    assertThat(unknown.getType()).isEqualTo(FailureTypes.NOT_FOUND);
  }
}
