package io.ferry.roadmap.dotransition;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;
import static io.ferry.runbook.StepDef.manual;
import static io.ferry.runbook.StepDef.pointOfNoReturn;
import static io.ferry.runbook.StepDef.soak;

import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepDef;
import io.ferry.runbook.StepTable;
import java.util.List;

/** The do-transition checklist (DESIGN's table, seed 000), in the order the workflow runs it. */
public final class DoTransitionSteps {
  static final String NODES = "nodes";
  static final String CODE = "code";
  static final String DATA = "data";
  static final String SERVICE = "service";
  static final String VALIDATE = "validate";
  static final String SWITCH = "switch";
  static final String ARCHIVE = "archive";
  static final String SOAK = "soak";
  static final String DECOMMISSION = "decommission";
  static final String AFTER = "after";

  private static final StepTable TABLE = new StepTable();

  public static final StepDef CREATE_VECTOR_DROPLET =
      TABLE.add(
          effect(
                  NODES,
                  "create-vector-droplet",
                  "Create the vector droplet (only when the plan does not adopt one)",
                  "destroy the droplet carrying this run's tag")
              .notSkippable()
              .onlyWhenDecided());
  public static final StepDef FIND_VECTOR_NODE =
      TABLE.add(
          check(NODES, "find-vector-node", "Find the vector droplet and wait until it is active")
              .profile(ActivityProfile.POLLING)
              .notSkippable());
  public static final StepDef VERIFY_VECTOR_NODE =
      TABLE.add(
          check(
              NODES, "verify-vector-node", "SSH to the vector node (host key checked): docker ps"));
  public static final StepDef CREATE_APP_DROPLET =
      TABLE.add(
          effect(
                  NODES,
                  "create-app-droplet",
                  "Create the app droplet (only when the plan does not adopt one)",
                  "destroy the droplet carrying this run's tag")
              .notSkippable()
              .onlyWhenDecided());
  public static final StepDef FIND_APP_NODE =
      TABLE.add(
          check(NODES, "find-app-node", "Find the app droplet and wait until it is active")
              .profile(ActivityProfile.POLLING)
              .notSkippable());
  public static final StepDef VERIFY_APP_NODE =
      TABLE.add(
          check(
              NODES,
              "verify-app-node",
              "SSH to the app node (host key checked): psql -l as the plan's role"));

  public static final StepDef SYNC_CODE =
      TABLE.add(
          effect(
                  CODE,
                  "sync-code",
                  "Sync the checkout to /opt/<app> (venv, .git and the plan's excludes left out)",
                  "remove what the sync created")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef INSTALL_PYTHON_ENV =
      TABLE.add(
          effect(
                  CODE,
                  "install-python-env",
                  "Create the venv and install the requirements on the app node",
                  "remove the venv if this run created it")
              .profile(ActivityProfile.LONG_RUNNING));

  public static final StepDef ENSURE_SESSION_COLLECTION =
      TABLE.add(
          effect(
              DATA,
              "ensure-session-collection",
              "Ensure Weaviate's multi-tenant Session collection",
              "delete the collection if this run created it"));
  public static final StepDef MIGRATE_MEMORY =
      TABLE.add(
          effect(
                  DATA,
                  "migrate-memory",
                  "Migrate memory items into Weaviate (as weaviate-first: checkpoints, malformed"
                      + " items set aside)",
                  "delete the objects the migration wrote")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());

  public static final StepDef WRITE_ENV_FILE =
      TABLE.add(
          effect(
              SERVICE,
              "write-env-file",
              "Write /opt/<app>/.env (0600: WEAVIATE_ENDPOINT, POSTGRES_DSN, PYTHONPATH)",
              "restore the previous .env"));
  public static final StepDef START_API_SERVICE =
      TABLE.add(
          effect(
              SERVICE,
              "start-api-service",
              "Install, enable and start the API's systemd unit; wait for active and /health",
              "stop, disable and remove the unit"));
  public static final StepDef RUN_MCP_SERVER =
      TABLE.add(
          effect(
              SERVICE,
              "run-mcp-server",
              "Run the MCP server container (docker run -d --network host)",
              "remove the container"));
  public static final StepDef INSTALL_NODE_EXPORTER =
      TABLE.add(
          effect(
              SERVICE,
              "install-node-exporter",
              "Install node exporter from the plan's tarball; check :9100/metrics",
              "stop and remove node exporter"));

  public static final StepDef PROBE_API_HEALTH =
      TABLE.add(check(VALIDATE, "probe-api-health", "API /health answers 200"));
  public static final StepDef PROBE_WEAVIATE_READY =
      TABLE.add(check(VALIDATE, "probe-weaviate-ready", "Weaviate ready answers"));
  public static final StepDef PROBE_SESSION_QUERY =
      TABLE.add(
          check(VALIDATE, "probe-session-query", "Session query p95 within the limit (50 ms)"));
  public static final StepDef PROBE_WEAVIATE_P95 =
      TABLE.add(
          check(VALIDATE, "probe-weaviate-p95", "Weaviate query p95 within the limit (150 ms)"));
  public static final StepDef PROBE_POSTGRES_TPS =
      TABLE.add(
          check(VALIDATE, "probe-postgres-tps", "pgbench on the app node over the floor (500 TPS)")
              .profile(ActivityProfile.LONG_RUNNING));

  public static final StepDef APPROVE_PRIMARY_SWITCH =
      TABLE.add(gate(SWITCH, "approve-primary-switch", "Approve making DigitalOcean primary"));
  public static final StepDef SWITCH_DEV_WORKFLOW =
      TABLE.add(
          manual(
              SWITCH,
              "switch-dev-workflow",
              "Switch the developer workflow: SSH config and do-sync/do-logs/do-restart aliases"));
  public static final StepDef SWITCH_CI_CD =
      TABLE.add(manual(SWITCH, "switch-ci-cd", "Point CI/CD's deploy job at the app node"));

  public static final StepDef ARCHIVE_SOURCE =
      TABLE.add(
          check(
                  ARCHIVE,
                  "archive-source",
                  "Archive the source checkout (tar, SHA-256) to Spaces; the copies are kept")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());

  public static final StepDef SOAK_UNTIL_DECOMMISSION =
      TABLE.add(
          soak(SOAK, "soak", "Soak until the decommission day, sampling resources and probes"));

  public static final StepDef APPROVE_DECOMMISSION =
      TABLE.add(
          gate(
              DECOMMISSION,
              "approve-decommission",
              "Approve decommissioning the source VM (breaches of the soak shown)"));
  public static final StepDef STOP_SOURCE_SERVICES =
      TABLE.add(
          pointOfNoReturn(
              DECOMMISSION, "stop-source-services", "Stop and disable the source's services"));
  public static final StepDef DESTROY_SOURCE_VM =
      TABLE.add(
          manual(
              DECOMMISSION,
              "destroy-source-vm",
              "Destroy the source VM at its provider (no API client: by hand)"));

  public static final StepDef SCHEDULE_NIGHTLY_BACKUPS =
      TABLE.add(
          effect(
              AFTER,
              "schedule-nightly-backups",
              "Schedule the nightly backups on the app node (pg_dump into /backups, Weaviate backup)",
              "restore the previous crontab"));

  public static final List<StepDef> ALL = TABLE.steps();

  private DoTransitionSteps() {}
}
