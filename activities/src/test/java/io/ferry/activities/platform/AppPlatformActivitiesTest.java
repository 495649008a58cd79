package io.ferry.activities.platform;

import static io.ferry.activities.SimFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.activities.SimFixture;
import io.ferry.activities.sim.SimulatedFleet;
import io.ferry.contract.AppPlatformActivities;
import io.ferry.contract.AppPlatformActivities.AppDeployment;
import io.ferry.contract.AppPlatformActivities.AppQuery;
import io.ferry.contract.AppPlatformActivities.AppState;
import io.ferry.contract.AppPlatformActivities.AppUndo;
import io.ferry.contract.AppPlatformActivities.Deployed;
import io.ferry.contract.AppPlatformActivities.DeploymentWatch;
import io.ferry.contract.AppPlatformActivities.ImageRef;
import io.ferry.contract.AppPlatformActivities.SpecSource;
import io.ferry.contract.ManagedDatabaseActivities;
import io.ferry.contract.ManagedDatabaseActivities.BackupCheckRequest;
import io.ferry.contract.ManagedDatabaseActivities.ValkeyCheckRequest;
import io.ferry.contract.RegistryActivities;
import io.ferry.contract.RegistryActivities.ImageBuild;
import io.ferry.contract.RegistryActivities.ImagePush;
import io.ferry.contract.RegistryActivities.RegistryQuery;
import io.ferry.plan.PlanLoader;
import io.ferry.plan.PostgresTarget;
import io.ferry.roadmap.appplatform.AppPlatformPlan;
import io.ferry.runbook.FailureTypes;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The app-platform activities against the simulated fleet seeded from the example plan. */
class AppPlatformActivitiesTest {

  private final AppPlatformPlan plan = examplePlan();
  private final SimulatedFleet fleet = new SimulatedFleet();
  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final AppPlatformActivities apps;
  private final RegistryActivities registry;
  private final ManagedDatabaseActivities databases;

  AppPlatformActivitiesTest() {
    fleet.seed(plan);
    env.registerActivitiesImplementations(fleet.activityImplementations().toArray());
    ActivityOptions options = SimFixture.ONE_ATTEMPT;
    apps = env.newActivityStub(AppPlatformActivities.class, options);
    registry = env.newActivityStub(RegistryActivities.class, options);
    databases = env.newActivityStub(ManagedDatabaseActivities.class, options);
  }

  @AfterEach
  void close() {
    env.close();
  }

  static AppPlatformPlan examplePlan() {
    try (InputStream in =
        AppPlatformActivitiesTest.class.getResourceAsStream("/plans/app-platform.example.yaml")) {
      return new PlanLoader()
          .load(
              "example",
              new String(in.readAllBytes(), StandardCharsets.UTF_8),
              AppPlatformPlan.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private SpecSource staging(String tag) {
    return new SpecSource(
        plan.appSpec(),
        plan.staging().app(),
        plan.registry().name(),
        plan.images().stream().map(i -> new ImageRef(i.component(), i.repository(), tag)).toList(),
        plan.staging().env());
  }

  @Test
  void aRejectedSpec_failsWithEachErrorAndItsSpecPath() {
    fleet.putWorkerFile(
        plan.appSpec(),
        "name: x\nservices:\n  - name: backend\n  - name: frontend\n  - http_port: 80\n"
            + "workers:\n  - name: worker\n");

    ApplicationFailure failure =
        failureOf(
            () ->
                apps.validateSpecs(
                    new AppPlatformActivities.SpecSources(List.of(staging("v2.4.0")))));

    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(failure.getOriginalMessage())
        .contains("App Platform rejects the spec " + plan.appSpec())
        .contains("services[2].name: is required")
        .contains("services[2]: needs a source");
  }

  @Test
  void anImageForAComponentTheSpecLacks_isNamed() {
    SpecSource source =
        new SpecSource(
            plan.appSpec(),
            "lightclick-staging",
            "lightclick",
            List.of(new ImageRef("api", "lightclick-api", "v2.4.0")),
            Map.of());

    ApplicationFailure failure =
        failureOf(() -> apps.validateSpecs(new AppPlatformActivities.SpecSources(List.of(source))));

    assertThat(failure.getOriginalMessage())
        .contains("images: component 'api' is not a service, worker or job of the spec")
        .contains("backend, frontend, worker, migrate");
  }

  @Test
  void aDeploymentOfAnImageThatWasNeverPushed_failsNamingThePhaseStepAndLogs() {
    AppState before = apps.findApp(new AppQuery("lightclick-staging"));
    Deployed deployed = apps.deploy(new AppDeployment(staging("v9.9.9"), before));

    ApplicationFailure failure =
        failureOf(
            () ->
                apps.waitActive(
                    new DeploymentWatch(deployed.appId(), deployed.deploymentId(), null)));

    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.getOriginalMessage())
        .contains("ended ERROR at step deploy (component backend)")
        .contains("lightclick-backend:v9.9.9 not found in the registry")
        .contains("logs: https://");
  }

  @Test
  void deploy_retried_findsTheDeploymentItsFirstAttemptStarted_andUndoDeletesTheNewApp() {
    pushRelease();
    AppState before = apps.findApp(new AppQuery("lightclick-staging"));
    assertThat(before.exists()).isFalse();

    Deployed first = apps.deploy(new AppDeployment(staging("v2.4.0"), before));
    Deployed retry = apps.deploy(new AppDeployment(staging("v2.4.0"), before));

    assertThat(retry).isEqualTo(first);
    assertThat(fleet.ledger().snapshot()).containsKey("app/lightclick-staging");
    apps.undoDeploy(new AppUndo("lightclick-staging", before));
    apps.undoDeploy(new AppUndo("lightclick-staging", before));
    assertThat(fleet.ledger().snapshot()).doesNotContainKey("app/lightclick-staging");
  }

  @Test
  void undoOfAProductionUpdate_rollsBackToTheDeploymentLiveBefore() {
    pushRelease();
    String liveBefore = fleet.ledger().snapshot().get("app/lightclick").attribute("images");
    AppState before = apps.findApp(new AppQuery("lightclick"));
    SpecSource production =
        new SpecSource(
            plan.appSpec(),
            "lightclick",
            "lightclick",
            staging("v2.4.0").images(),
            plan.production().env());
    Deployed deployed = apps.deploy(new AppDeployment(production, before));
    apps.waitActive(new DeploymentWatch(deployed.appId(), deployed.deploymentId(), null));
    assertThat(fleet.ledger().snapshot().get("app/lightclick").attribute("images"))
        .contains(":v2.4.0");

    apps.undoDeploy(new AppUndo("lightclick", before));

    assertThat(fleet.ledger().snapshot().get("app/lightclick").attribute("images"))
        .isEqualTo(liveBefore);
  }

  @Test
  void pushedTags_areDeletedOnUndo_butTagsThatExistedBeforeAreKept() {
    ImagePush push = push(List.of("lightclick-worker:v2.4.0"));
    registry.pushImages(push);

    registry.deletePushedImages(push);

    assertThat(fleet.ledger().snapshot())
        .doesNotContainKey("image-tag/lightclick/lightclick-backend:v2.4.0")
        .containsKey("image-tag/lightclick/lightclick-worker:v2.4.0");
  }

  @Test
  void aRegistryOtherThanTheAccounts_isNotFound() {
    ApplicationFailure failure =
        failureOf(() -> registry.checkRegistry(new RegistryQuery("other", List.of(), "v1")));

    assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
    assertThat(failure.getOriginalMessage()).contains("the account's registry is lightclick");
  }

  @Test
  void valkeyOverItsLimit_failsWithTheMeasuredP95_andLeavesNoScratchKeys() {
    ApplicationFailure failure =
        failureOf(
            () ->
                databases.checkValkey(
                    new ValkeyCheckRequest(
                        plan.valkey().store(), "ferry-scratch:test:", 100, Duration.ofMillis(1))));

    assertThat(failure.getType()).isEqualTo(FailureTypes.THRESHOLD_NOT_MET);
    assertThat(failure.getOriginalMessage()).contains("p95 2.14 ms exceeds the limit of 1 ms");
    assertThat(
            databases
                .checkValkey(
                    new ValkeyCheckRequest(
                        plan.valkey().store(), "ferry-scratch:test:", 10, Duration.ofMillis(5)))
                .keysLeft())
        .isZero();
  }

  @Test
  void aPlainTextPostgresConnection_isRefused() {
    PostgresTarget c = plan.postgres().connection();
    PostgresTarget plain =
        new PostgresTarget(c.host(), c.port(), c.database(), c.user(), c.password(), "prefer");

    ApplicationFailure failure = failureOf(() -> databases.checkPostgres(plain));

    assertThat(failure.getType()).isEqualTo(FailureTypes.PRECONDITION);
    assertThat(failure.getOriginalMessage()).contains("is not encrypted");
  }

  @Test
  void aManagedBackupOlderThanMaxAge_isRefused() {
    BackupCheckRequest request =
        new BackupCheckRequest(
            "managed",
            plan.postgres().cluster(),
            Duration.ofHours(1),
            plan.droplet().ssh(),
            plan.postgres().connection(),
            "/var/backups/x",
            "k");

    ApplicationFailure failure = failureOf(() -> databases.verifyBackup(request));

    assertThat(failure.getOriginalMessage()).contains("older than 1 h").contains("pg-dump");
  }

  @Test
  void aMigrationCommand_runsInThePushedImage_andOneThatFailsReportsItsExitAndOutput() {
    pushRelease();
    io.ferry.contract.AppPlatformActivities.MigrationRun ok =
        new io.ferry.contract.AppPlatformActivities.MigrationRun(
            null,
            List.of("alembic", "upgrade", "head"),
            plan.droplet().ssh(),
            "registry.digitalocean.com/lightclick/lightclick-backend:v2.4.0",
            plan.production().env(),
            null,
            null);
    assertThat(apps.runMigrations(ok).summary()).startsWith("alembic upgrade head in ");

    io.ferry.contract.AppPlatformActivities.MigrationRun missing =
        new io.ferry.contract.AppPlatformActivities.MigrationRun(
            null,
            List.of("alembic", "upgrade", "head"),
            plan.droplet().ssh(),
            "registry.digitalocean.com/lightclick/lightclick-backend:v0.0.1",
            plan.production().env(),
            null,
            null);
    ApplicationFailure failure = failureOf(() -> apps.runMigrations(missing));
    assertThat(failure.getOriginalMessage())
        .contains("exited 125")
        .contains("Unable to find image");
  }

  private void pushRelease() {
    registry.pushImages(push(List.of()));
  }

  private ImagePush push(List<String> existingBefore) {
    return new ImagePush(
        plan.droplet().ssh(),
        "registry.digitalocean.com",
        "lightclick",
        "ferry",
        plan.registry().token(),
        plan.images().stream()
            .map(
                i ->
                    new ImageBuild(
                        i.component(), i.repository(), i.context(), i.dockerfile(), i.target()))
            .toList(),
        "v2.4.0",
        existingBefore);
  }
}
