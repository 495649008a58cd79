package io.ferry.roadmap.appplatform;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;
import static io.ferry.runbook.StepDef.manual;
import static io.ferry.runbook.StepDef.pointOfNoReturn;
import static io.ferry.runbook.StepDef.soak;

import io.ferry.roadmap.common.DnsCutover;
import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
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

  private static final StepTable TABLE = new StepTable();

  public static final StepDef VALIDATE_APP_SPEC =
      TABLE.add(
          check(
              PREFLIGHT,
              "validate-app-spec",
              "Validate the app spec for staging and production with App Platform's propose"
                  + " endpoint"));
  public static final StepDef CHECK_REGISTRY =
      TABLE.add(
          check(PREFLIGHT, "check-registry", "Check the container registry exists")
              // the push's undo keeps the tags this step found
              .notSkippable());
  public static final StepDef CHECK_POSTGRES =
      TABLE.add(
          check(
              PREFLIGHT,
              "check-postgres",
              "Connect to managed PostgreSQL over TLS: version, size"));
  public static final StepDef CHECK_VALKEY =
      TABLE.add(
          check(
              PREFLIGHT,
              "check-valkey",
              "Exercise managed Valkey over TLS on scratch keys (p95 within the limit)"));

  public static final StepDef PUSH_IMAGES =
      TABLE.add(
          effect(
                  IMAGES,
                  "push-images",
                  "Build, tag and push the images to the registry on the droplet",
                  "delete the tags this run pushed")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());

  public static final StepDef FIND_STAGING_APP =
      TABLE.add(
          check(STAGING, "find-staging-app", "Look up the staging app and its live deployment")
              .notSkippable());
  public static final StepDef DEPLOY_STAGING =
      TABLE.add(
          effect(
                  STAGING,
                  "deploy-staging",
                  "Create (or update) the staging app from the spec with the pushed images",
                  "delete the app if this run created it, else roll back to its previous deployment")
              .notSkippable());
  public static final StepDef WAIT_STAGING_ACTIVE =
      TABLE.add(
          check(STAGING, "wait-staging-active", "Wait until the staging deployment is ACTIVE")
              .profile(ActivityProfile.POLLING)
              .notSkippable());
  public static final StepDef MIGRATE_STAGING =
      TABLE.add(
          check(
              STAGING,
              "migrate-staging",
              "Run the database migrations for staging (forward-only; nothing to undo)"));
  public static final StepDef SMOKE_STAGING =
      TABLE.add(check(STAGING, "smoke-staging", "Smoke-test the staging app"));

  public static final StepDef APPROVE_PRODUCTION =
      TABLE.add(gate(PRODUCTION, "approve-production", "Approve deploying to production"));
  public static final StepDef VERIFY_BACKUP =
      TABLE.add(
          check(PRODUCTION, "verify-backup", "Verify a recent backup of the database exists")
              .profile(ActivityProfile.LONG_RUNNING));
  public static final StepDef FIND_PRODUCTION_APP =
      TABLE.add(
          check(
                  PRODUCTION,
                  "find-production-app",
                  "Look up the production app and the deployment live now (the rollback target)")
              .notSkippable());
  public static final StepDef DEPLOY_PRODUCTION =
      TABLE.add(
          effect(
                  PRODUCTION,
                  "deploy-production",
                  "Create or update the production app and deploy from the registry",
                  "roll back to the previous deployment, or delete the app this run created")
              .notSkippable());
  public static final StepDef WAIT_PRODUCTION_ACTIVE =
      TABLE.add(
          check(
                  PRODUCTION,
                  "wait-production-active",
                  "Wait until the production deployment is ACTIVE")
              .profile(ActivityProfile.POLLING)
              .notSkippable());
  public static final StepDef MIGRATE_PRODUCTION =
      TABLE.add(
          check(
              PRODUCTION,
              "migrate-production",
              "Run the database migrations for production (forward-only; the backup is the way back)"));
  public static final StepDef SMOKE_PRODUCTION =
      TABLE.add(check(PRODUCTION, "smoke-production", "Smoke-test the production app"));

  public static final DnsCutover DNS_CUTOVER =
      DnsCutover.declare(
          TABLE,
          CUTOVER,
          "Approve pointing DNS at the production app",
          "Point the records at the production app");
  public static final StepDef APPROVE_DNS_CUTOVER = DNS_CUTOVER.approve();
  public static final StepDef READ_DNS_RECORDS = DNS_CUTOVER.readRecords();
  public static final StepDef SWITCH_DNS = DNS_CUTOVER.switchRecords();

  public static final StepDef MONITOR =
      TABLE.add(
          check(
                  CUTOVER,
                  "monitor",
                  "Monitor window: probe the domain at an interval; roll back when the failure"
                      + " budget is spent")
              .notSkippable());

  public static final StepDef SOAK_WEEK =
      TABLE.add(soak(SOAK, "soak", "Soak with the droplet kept"));

  public static final StepDef APPROVE_DECOMMISSION =
      TABLE.add(gate(DECOMMISSION, "approve-decommission", "Approve decommissioning the droplet"));
  public static final StepDef EXPORT_LOGS =
      TABLE.add(
          check(
                  DECOMMISSION,
                  "export-droplet-logs",
                  "Export the droplet's logs to the worker (kept)")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef FINAL_SNAPSHOT =
      TABLE.add(
          effect(
                  DECOMMISSION,
                  "final-snapshot",
                  "Take a final snapshot of the droplet",
                  "delete the snapshot this run took")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef DESTROY_DROPLET =
      TABLE.add(pointOfNoReturn(DECOMMISSION, "destroy-droplet", "Destroy the droplet"));

  public static final StepDef UPDATE_DOCS =
      TABLE.add(
          manual(
              DECOMMISSION,
              "update-docs",
              "Update the docs for App Platform and archive the droplet's deployment docs (seed"
                  + " phase 6)"));

  public static final List<StepDef> ALL = TABLE.steps();

  private AppPlatformSteps() {}
}
