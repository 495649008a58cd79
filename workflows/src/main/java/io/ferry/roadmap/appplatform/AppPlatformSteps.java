package io.ferry.roadmap.appplatform;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;
import static io.ferry.runbook.StepDef.manual;
import static io.ferry.runbook.StepDef.pointOfNoReturn;
import static io.ferry.runbook.StepDef.soak;

import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepDef;
import java.util.List;

/** The app-platform checklist (DESIGN's table, seed 002), in the order the workflow runs it. */
public final class AppPlatformSteps {
  static final String PREFLIGHT = "preflight";
  static final String IMAGES = "images";
  static final String STAGING = "staging";
  static final String PRODUCTION = "production";
  static final String CUTOVER = "cutover";
  static final String SOAK = "soak";
  static final String DECOMMISSION = "decommission";

  public static final StepDef VALIDATE_APP_SPEC =
      check(
          PREFLIGHT,
          "validate-app-spec",
          "Validate the app spec for staging and production with App Platform's propose"
              + " endpoint");
  public static final StepDef CHECK_REGISTRY =
      check(PREFLIGHT, "check-registry", "Check the container registry exists")
          // the push's undo keeps the tags this step found
          .notSkippable();
  public static final StepDef CHECK_POSTGRES =
      check(PREFLIGHT, "check-postgres", "Connect to managed PostgreSQL over TLS: version, size");
  public static final StepDef CHECK_VALKEY =
      check(
          PREFLIGHT,
          "check-valkey",
          "Exercise managed Valkey over TLS on scratch keys (p95 within the limit)");

  public static final StepDef PUSH_IMAGES =
      effect(
              IMAGES,
              "push-images",
              "Build, tag and push the images to the registry on the droplet",
              "delete the tags this run pushed")
          .profile(ActivityProfile.LONG_RUNNING)
          .notSkippable();

  public static final StepDef FIND_STAGING_APP =
      check(STAGING, "find-staging-app", "Look up the staging app and its live deployment")
          .notSkippable();
  public static final StepDef DEPLOY_STAGING =
      effect(
              STAGING,
              "deploy-staging",
              "Create (or update) the staging app from the spec with the pushed images",
              "delete the app if this run created it, else roll back to its previous deployment")
          .notSkippable();
  public static final StepDef WAIT_STAGING_ACTIVE =
      check(STAGING, "wait-staging-active", "Wait until the staging deployment is ACTIVE")
          .profile(ActivityProfile.POLLING)
          .notSkippable();
  public static final StepDef MIGRATE_STAGING =
      check(
          STAGING,
          "migrate-staging",
          "Run the database migrations for staging (forward-only; nothing to undo)");
  public static final StepDef SMOKE_STAGING =
      check(STAGING, "smoke-staging", "Smoke-test the staging app");

  public static final StepDef APPROVE_PRODUCTION =
      gate(PRODUCTION, "approve-production", "Approve deploying to production");
  public static final StepDef VERIFY_BACKUP =
      check(PRODUCTION, "verify-backup", "Verify a recent backup of the database exists")
          .profile(ActivityProfile.LONG_RUNNING);
  public static final StepDef FIND_PRODUCTION_APP =
      check(
              PRODUCTION,
              "find-production-app",
              "Look up the production app and the deployment live now (the rollback target)")
          .notSkippable();
  public static final StepDef DEPLOY_PRODUCTION =
      effect(
              PRODUCTION,
              "deploy-production",
              "Create or update the production app and deploy from the registry",
              "roll back to the previous deployment, or delete the app this run created")
          .notSkippable();
  public static final StepDef WAIT_PRODUCTION_ACTIVE =
      check(PRODUCTION, "wait-production-active", "Wait until the production deployment is ACTIVE")
          .profile(ActivityProfile.POLLING)
          .notSkippable();
  public static final StepDef MIGRATE_PRODUCTION =
      check(
          PRODUCTION,
          "migrate-production",
          "Run the database migrations for production (forward-only; the backup is the way back)");
  public static final StepDef SMOKE_PRODUCTION =
      check(PRODUCTION, "smoke-production", "Smoke-test the production app");

  public static final StepDef APPROVE_DNS_CUTOVER =
      gate(CUTOVER, "approve-dns-cutover", "Approve pointing DNS at the production app");
  public static final StepDef READ_DNS_RECORDS =
      check(CUTOVER, "read-dns-records", "Record the current DNS records so they can be restored")
          .notSkippable();
  public static final StepDef SWITCH_DNS =
      effect(
          CUTOVER,
          "switch-dns",
          "Point the records at the production app",
          "restore the previous records");
  public static final StepDef MONITOR =
      check(
              CUTOVER,
              "monitor",
              "Monitor window: probe the domain at an interval; roll back when the failure"
                  + " budget is spent")
          .notSkippable();

  public static final StepDef SOAK_WEEK = soak(SOAK, "soak", "Soak with the droplet kept");

  public static final StepDef APPROVE_DECOMMISSION =
      gate(DECOMMISSION, "approve-decommission", "Approve decommissioning the droplet");
  public static final StepDef EXPORT_LOGS =
      check(DECOMMISSION, "export-droplet-logs", "Export the droplet's logs to the worker (kept)")
          .profile(ActivityProfile.LONG_RUNNING)
          .notSkippable();
  public static final StepDef FINAL_SNAPSHOT =
      effect(
              DECOMMISSION,
              "final-snapshot",
              "Take a final snapshot of the droplet",
              "delete the snapshot this run took")
          .profile(ActivityProfile.LONG_RUNNING)
          .notSkippable();
  public static final StepDef DESTROY_DROPLET =
      pointOfNoReturn(DECOMMISSION, "destroy-droplet", "Destroy the droplet");

  public static final StepDef UPDATE_DOCS =
      manual(
          DECOMMISSION,
          "update-docs",
          "Update the docs for App Platform and archive the droplet's deployment docs (seed"
              + " phase 6)");

  public static final List<StepDef> ALL =
      List.of(
          VALIDATE_APP_SPEC,
          CHECK_REGISTRY,
          CHECK_POSTGRES,
          CHECK_VALKEY,
          PUSH_IMAGES,
          FIND_STAGING_APP,
          DEPLOY_STAGING,
          WAIT_STAGING_ACTIVE,
          MIGRATE_STAGING,
          SMOKE_STAGING,
          APPROVE_PRODUCTION,
          VERIFY_BACKUP,
          FIND_PRODUCTION_APP,
          DEPLOY_PRODUCTION,
          WAIT_PRODUCTION_ACTIVE,
          MIGRATE_PRODUCTION,
          SMOKE_PRODUCTION,
          APPROVE_DNS_CUTOVER,
          READ_DNS_RECORDS,
          SWITCH_DNS,
          MONITOR,
          SOAK_WEEK,
          APPROVE_DECOMMISSION,
          EXPORT_LOGS,
          FINAL_SNAPSHOT,
          DESTROY_DROPLET,
          UPDATE_DOCS);

  private AppPlatformSteps() {}
}
