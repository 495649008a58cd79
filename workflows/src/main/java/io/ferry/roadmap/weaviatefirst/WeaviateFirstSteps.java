package io.ferry.roadmap.weaviatefirst;

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

/** The weaviate-first checklist (DESIGN's table, seed 001), in the order the workflow runs it. */
public final class WeaviateFirstSteps {
  static final String PROVISION = "provision";
  static final String VECTOR_STORE = "vector-store";
  static final String MIGRATE = "migrate";
  static final String SWITCH = "switch";
  static final String VALIDATE = "validate";
  static final String CUTOVER = "cutover";
  static final String SOAK = "soak";
  static final String PURGE = "purge";

  private static final StepTable TABLE = new StepTable();

  public static final StepDef CREATE_VECTOR_DROPLET =
      TABLE.add(
          effect(
                  PROVISION,
                  "create-vector-droplet",
                  "Create the vector droplet (4 vCPU / 8 GiB, VPC, tags)",
                  "destroy the droplet carrying this run's tag")
              .notSkippable());
  public static final StepDef CREATE_VOLUME =
      TABLE.add(
          effect(
              PROVISION,
              "create-volume",
              "Create and attach the Weaviate data volume",
              "detach and delete the volume"));
  public static final StepDef CREATE_FIREWALL =
      TABLE.add(
          effect(
              PROVISION,
              "create-firewall",
              "Create the vector node's firewall",
              "delete the firewall"));
  public static final StepDef WAIT_DROPLET_ACTIVE =
      TABLE.add(
          check(PROVISION, "wait-droplet-active", "Wait until the vector droplet is active")
              .profile(ActivityProfile.POLLING)
              .notSkippable());

  public static final StepDef LAUNCH_WEAVIATE =
      TABLE.add(
          effect(
              VECTOR_STORE,
              "launch-weaviate",
              "Launch Weaviate with Docker Compose on the vector node",
              "take the compose project down and remove its files"));
  public static final StepDef WAIT_WEAVIATE_READY =
      TABLE.add(
          check(VECTOR_STORE, "wait-weaviate-ready", "Wait until Weaviate is ready")
              .profile(ActivityProfile.POLLING));
  public static final StepDef ENSURE_DATABASE =
      TABLE.add(
          effect(
              VECTOR_STORE,
              "ensure-database",
              "Ensure the orchestrator database with pgvector",
              "drop the database if this run created it"));
  public static final StepDef CREATE_COLLECTIONS =
      TABLE.add(
          effect(
              VECTOR_STORE,
              "create-collections",
              "Create collections Personal, PayReady, ParagonRX and multi-tenant Session",
              "delete the collections this run created"));

  public static final StepDef BACKUP_MEMORY_KEYS =
      TABLE.add(
          check(
                  MIGRATE,
                  "backup-memory-keys",
                  "Back up the memory keys to a checksummed file (kept)")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef STORE_MEMORY_BACKUP =
      TABLE.add(
          check(
                  MIGRATE,
                  "store-memory-backup",
                  "Copy the memory backup to the plan's Spaces bucket (kept)")
              .profile(ActivityProfile.LONG_RUNNING));
  public static final StepDef MIGRATE_MEMORY =
      TABLE.add(
          effect(
                  MIGRATE,
                  "migrate-memory",
                  "Migrate memory items: scan, parse, embed, upsert into Session",
                  "delete the objects the migration wrote")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef COPY_STRUCTURED =
      TABLE.add(
          effect(
                  MIGRATE,
                  "copy-structured",
                  "Copy structured hashes to PostgreSQL with COPY FROM STDIN",
                  "drop the tables this run created")
              .profile(ActivityProfile.LONG_RUNNING)
              .notSkippable());
  public static final StepDef VERIFY_COUNTS =
      TABLE.add(
          check(
              MIGRATE,
              "verify-counts",
              "Verify counts in Weaviate and PostgreSQL against the source"));

  public static final StepDef BACKUP_DATABASE =
      TABLE.add(
          check(
                  MIGRATE,
                  "backup-database",
                  "pg_dump the orchestrator database, kept on the app node, the worker and in Spaces")
              .profile(ActivityProfile.LONG_RUNNING));

  public static final StepDef CONFIRM_APP_RELEASE =
      TABLE.add(
          manual(
              SWITCH,
              "confirm-app-release",
              "Deploy the app release with the Weaviate adapter and Postgres structured store (seed section 5)"));
  public static final StepDef SWITCH_APP_CONFIG =
      TABLE.add(
          effect(
              SWITCH,
              "switch-app-config",
              "Switch the app to Weaviate (use_weaviate on, dragonfly off) and restart",
              "restore the previous config and restart"));

  public static final StepDef PROBE_WEAVIATE_READY =
      TABLE.add(
          check(VALIDATE, "probe-weaviate-ready", "Weaviate ready answers within the limit (1 s)"));
  public static final StepDef PROBE_POSTGRES_TPS =
      TABLE.add(
          check(
                  VALIDATE,
                  "probe-postgres-tps",
                  "pgbench on the app node exceeds the TPS floor (500)")
              .profile(ActivityProfile.LONG_RUNNING));
  public static final StepDef PROBE_QUERY_P95 =
      TABLE.add(check(VALIDATE, "probe-query-p95", "Weaviate query p95 within the limit (150 ms)"));
  public static final StepDef PROBE_NL_QUERY =
      TABLE.add(
          check(
              VALIDATE,
              "probe-nl-query",
              "Admin UI natural-language query answers within the limit (2 s)"));
  public static final StepDef MEASURE_CHAT_LATENCY =
      TABLE.add(
          check(VALIDATE, "measure-chat-latency", "Measure chat p95 for the micro-cache decision")
              .notSkippable());
  public static final StepDef CREATE_MICRO_CACHE_DROPLET =
      TABLE.add(
          effect(
                  VALIDATE,
                  "create-micro-cache-droplet",
                  "Create the micro-cache droplet (chat p95 over 50 ms)",
                  "destroy the micro-cache droplet")
              .notSkippable()
              .onlyWhenDecided());
  public static final StepDef WAIT_MICRO_CACHE_ACTIVE =
      TABLE.add(
          check(VALIDATE, "wait-micro-cache-active", "Wait until the micro-cache droplet is active")
              .profile(ActivityProfile.POLLING)
              .notSkippable()
              .onlyWhenDecided());
  public static final StepDef LAUNCH_MICRO_CACHE =
      TABLE.add(
          effect(
                  VALIDATE,
                  "launch-micro-cache",
                  "Launch Dragonfly on the micro-cache droplet",
                  "take the Dragonfly project down")
              .onlyWhenDecided());
  public static final StepDef ENABLE_MICRO_CACHE =
      TABLE.add(
          effect(
                  VALIDATE,
                  "enable-micro-cache",
                  "Point the app at the micro-cache and restart",
                  "restore the previous config and restart")
              .onlyWhenDecided());

  public static final DnsCutover DNS_CUTOVER =
      DnsCutover.declare(
          TABLE,
          CUTOVER,
          "Approve the DNS cutover to the new stack",
          "Point DNS at the new stack (TTL 15 min)");
  public static final StepDef APPROVE_DNS_CUTOVER = DNS_CUTOVER.approve();
  public static final StepDef READ_DNS_RECORDS = DNS_CUTOVER.readRecords();
  public static final StepDef SWITCH_DNS = DNS_CUTOVER.switchRecords();

  public static final StepDef SOAK_WEEK =
      TABLE.add(soak(SOAK, "soak", "Soak with the old memory store kept"));

  public static final StepDef APPROVE_PURGE =
      TABLE.add(
          gate(PURGE, "approve-purge", "Approve purging the migrated keys from the old store"));
  public static final StepDef PURGE_MEMORY_KEYS =
      TABLE.add(
          pointOfNoReturn(
                  PURGE, "purge-memory-keys", "Purge the migrated keys from the memory store")
              .profile(ActivityProfile.LONG_RUNNING));

  public static final List<StepDef> ALL = TABLE.steps();

  private WeaviateFirstSteps() {}
}
