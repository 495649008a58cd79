package io.ferry.roadmap.appplatform;

import static io.ferry.roadmap.appplatform.AppPlatformSteps.APPROVE_DECOMMISSION;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.APPROVE_PRODUCTION;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.CHECK_POSTGRES;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.CHECK_REGISTRY;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.CHECK_VALKEY;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.DEPLOY_PRODUCTION;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.DEPLOY_STAGING;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.DESTROY_DROPLET;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.DNS_CUTOVER;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.EXPORT_LOGS;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.FINAL_SNAPSHOT;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.FIND_PRODUCTION_APP;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.FIND_STAGING_APP;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.MIGRATE_PRODUCTION;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.MIGRATE_STAGING;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.MONITOR;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.PUSH_IMAGES;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.SMOKE_PRODUCTION;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.SMOKE_STAGING;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.SOAK_WEEK;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.UPDATE_DOCS;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.VALIDATE_APP_SPEC;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.VERIFY_BACKUP;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.WAIT_PRODUCTION_ACTIVE;
import static io.ferry.roadmap.appplatform.AppPlatformSteps.WAIT_STAGING_ACTIVE;

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
import io.ferry.contract.AppPlatformActivities.SpecSource;
import io.ferry.contract.AppPlatformActivities.SpecSources;
import io.ferry.contract.CloudActivities;
import io.ferry.contract.CloudActivities.DropletId;
import io.ferry.contract.CloudActivities.SnapshotRequest;
import io.ferry.contract.HostActivities;
import io.ferry.contract.HostActivities.LogExportRequest;
import io.ferry.contract.ManagedDatabaseActivities;
import io.ferry.contract.ManagedDatabaseActivities.BackupCheckRequest;
import io.ferry.contract.ManagedDatabaseActivities.ValkeyCheckRequest;
import io.ferry.contract.ProbeActivities;
import io.ferry.contract.ProbeActivities.SmokeCheck;
import io.ferry.contract.ProbeActivities.SmokeRequest;
import io.ferry.contract.RegistryActivities;
import io.ferry.contract.RegistryActivities.ImageBuild;
import io.ferry.contract.RegistryActivities.ImagePush;
import io.ferry.contract.RegistryActivities.RegistryInfo;
import io.ferry.contract.RegistryActivities.RegistryQuery;
import io.ferry.roadmap.common.DnsPlan;
import io.ferry.runbook.RunbookResult;
import io.ferry.runbook.RunbookWorkflow;
import io.ferry.runbook.StepDef;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.List;

/** The app-platform checklist; each call below is one line of DESIGN's table. */
public class AppPlatformWorkflowImpl extends RunbookWorkflow implements AppPlatformWorkflow {

  @WorkflowInit
  public AppPlatformWorkflowImpl(AppPlatformPlan plan) {
    super(AppPlatformPlan.ROADMAP, plan, AppPlatformSteps.ALL);
  }

  @Override
  public RunbookResult migrate(AppPlatformPlan plan) {
    return runbook.run(() -> checklist(plan));
  }

  private void checklist(AppPlatformPlan plan) {
    List<ImageRef> images =
        plan.images().stream()
            .map(i -> new ImageRef(i.component(), i.repository(), plan.version()))
            .toList();
    SpecSource stagingSpec = spec(plan, plan.staging(), images);
    SpecSource productionSpec = spec(plan, plan.production(), images);

    // preflight
    runbook.check(
        VALIDATE_APP_SPEC,
        AppPlatformActivities.class,
        apps -> apps.validateSpecs(new SpecSources(List.of(stagingSpec, productionSpec))));
    RegistryInfo registry =
        runbook.check(
            CHECK_REGISTRY,
            RegistryActivities.class,
            reg ->
                reg.checkRegistry(
                    new RegistryQuery(
                        plan.registry().name(),
                        images.stream().map(ImageRef::repository).toList(),
                        plan.version())));
    runbook.check(
        CHECK_POSTGRES,
        ManagedDatabaseActivities.class,
        db -> db.checkPostgres(plan.postgres().connection()));
    runbook.check(
        CHECK_VALKEY,
        ManagedDatabaseActivities.class,
        db ->
            db.checkValkey(
                new ValkeyCheckRequest(
                    plan.valkey().store(),
                    scratchPrefix(),
                    plan.valkey().rounds(),
                    plan.valkey().maxP95())));

    // images
    ImagePush push =
        new ImagePush(
            plan.droplet().ssh(),
            plan.registry().server(),
            plan.registry().name(),
            plan.registry().user(),
            plan.registry().token(),
            plan.images().stream()
                .map(
                    i ->
                        new ImageBuild(
                            i.component(), i.repository(), i.context(), i.dockerfile(), i.target()))
                .toList(),
            plan.version(),
            registry == null ? List.of() : registry.existingTags());
    runbook.step(
        PUSH_IMAGES,
        RegistryActivities.class,
        reg -> reg.pushImages(push),
        reg -> reg.deletePushedImages(push));

    // staging, then production behind its gate
    release(plan, plan.staging(), stagingSpec, Stage.STAGING);
    runbook.gate(APPROVE_PRODUCTION);
    AppPlatformPlan.Database db = plan.postgres();
    runbook.check(
        VERIFY_BACKUP,
        ManagedDatabaseActivities.class,
        managed ->
            managed.verifyBackup(
                new BackupCheckRequest(
                    db.backup().source(),
                    db.cluster(),
                    db.backup().maxAge(),
                    plan.droplet().ssh(),
                    db.connection(),
                    db.backup().dumpDir(),
                    key(VERIFY_BACKUP))));
    LiveApp production = release(plan, plan.production(), productionSpec, Stage.PRODUCTION);

    // cutover
    String ingress = production.ingressHost();
    DnsPlan dns = plan.dns();
    DNS_CUTOVER.run(runbook, dns, ingress.endsWith(".") ? ingress : ingress + ".");
    AppPlatformPlan.Monitor monitor = plan.monitor();
    SmokeRequest probes =
        new SmokeRequest(
            "https://" + dns.records().get(0).name() + "." + dns.domain(),
            checks(monitor.probes()));
    runbook.watch(
        MONITOR,
        ProbeActivities.class,
        probe -> probe.probeRound(probes),
        monitor.window(),
        monitor.interval(),
        monitor.failureBudget());

    // soak, then decommission behind its gate
    runbook.soak(SOAK_WEEK, plan.soak());
    runbook.gate(APPROVE_DECOMMISSION);
    AppPlatformPlan.Droplet droplet = plan.droplet();
    runbook.check(
        EXPORT_LOGS,
        HostActivities.class,
        host ->
            host.exportLogs(
                new LogExportRequest(
                    droplet.ssh(),
                    droplet.logs().units(),
                    droplet.logs().since(),
                    droplet.logs().destination(),
                    key(EXPORT_LOGS))));
    SnapshotRequest snapshot =
        new SnapshotRequest(droplet.id(), plan.name() + "-final-" + plan.version());
    runbook.step(
        FINAL_SNAPSHOT,
        CloudActivities.class,
        cloud -> cloud.snapshotDroplet(snapshot),
        cloud -> cloud.deleteSnapshot(snapshot));
    runbook.irreversible(
        DESTROY_DROPLET,
        CloudActivities.class,
        cloud -> {
          cloud.destroyDropletById(new DropletId(droplet.id()));
          return null;
        });
    runbook.manual(UPDATE_DOCS);
  }

  /** The steps of one environment: which app, deploy, wait ACTIVE, migrations, smoke tests. */
  private enum Stage {
    STAGING(FIND_STAGING_APP, DEPLOY_STAGING, WAIT_STAGING_ACTIVE, MIGRATE_STAGING, SMOKE_STAGING),
    PRODUCTION(
        FIND_PRODUCTION_APP,
        DEPLOY_PRODUCTION,
        WAIT_PRODUCTION_ACTIVE,
        MIGRATE_PRODUCTION,
        SMOKE_PRODUCTION);

    final StepDef find;
    final StepDef deploy;
    final StepDef waitActive;
    final StepDef migrate;
    final StepDef smoke;

    Stage(StepDef find, StepDef deploy, StepDef waitActive, StepDef migrate, StepDef smoke) {
      this.find = find;
      this.deploy = deploy;
      this.waitActive = waitActive;
      this.migrate = migrate;
      this.smoke = smoke;
    }
  }

  private LiveApp release(
      AppPlatformPlan plan, AppPlatformPlan.Environment env, SpecSource spec, Stage stage) {
    AppState before =
        runbook.check(
            stage.find, AppPlatformActivities.class, apps -> apps.findApp(new AppQuery(env.app())));
    Deployed deployed =
        runbook.step(
            stage.deploy,
            AppPlatformActivities.class,
            apps -> apps.deploy(new AppDeployment(spec, before)),
            apps -> apps.undoDeploy(new AppUndo(env.app(), before)));
    LiveApp live =
        runbook.check(
            stage.waitActive,
            AppPlatformActivities.class,
            apps ->
                apps.waitActive(
                    new DeploymentWatch(
                        deployed.appId(), deployed.deploymentId(), plan.deployTimeout())));
    AppPlatformPlan.Migrations migrations = plan.migrations();
    if (migrations.none()) {
      runbook.notNeeded(stage.migrate, "the plan names no migrations");
    } else {
      String image =
          plan.images().stream()
              .filter(i -> i.component().equals(migrations.component()))
              .findFirst()
              .map(
                  i ->
                      plan.registry().server()
                          + "/"
                          + plan.registry().name()
                          + "/"
                          + i.repository()
                          + ":"
                          + plan.version())
              .orElse(null);
      runbook.check(
          stage.migrate,
          AppPlatformActivities.class,
          apps ->
              apps.runMigrations(
                  new MigrationRun(
                      migrations.job(),
                      migrations.command(),
                      plan.droplet().ssh(),
                      image,
                      env.env(),
                      live.appId(),
                      live.deploymentId())));
    }
    runbook.check(
        stage.smoke,
        ProbeActivities.class,
        probe -> probe.smoke(new SmokeRequest(live.liveUrl(), checks(env.smoke()))));
    return live;
  }

  private static SpecSource spec(
      AppPlatformPlan plan, AppPlatformPlan.Environment env, List<ImageRef> images) {
    return new SpecSource(plan.appSpec(), env.app(), plan.registry().name(), images, env.env());
  }

  private static List<SmokeCheck> checks(List<AppPlatformPlan.SmokeTest> tests) {
    return tests.stream()
        .map(t -> new SmokeCheck(t.path(), t.expectStatus(), t.samples(), t.maxLatency()))
        .toList();
  }

  /** Scratch keys of this run only, so a concurrent check or an old leftover is never touched. */
  private static String scratchPrefix() {
    return "ferry-scratch:"
        + Workflow.getInfo().getWorkflowId()
        + ":"
        + Workflow.getInfo().getRunId()
        + ":";
  }
}
