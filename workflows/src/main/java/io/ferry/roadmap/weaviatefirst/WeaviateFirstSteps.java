package io.ferry.roadmap.weaviatefirst;

import static io.ferry.runbook.StepDef.check;
import static io.ferry.runbook.StepDef.effect;
import static io.ferry.runbook.StepDef.gate;
import static io.ferry.runbook.StepDef.manual;
import static io.ferry.runbook.StepDef.pointOfNoReturn;
import static io.ferry.runbook.StepDef.soak;

import io.ferry.runbook.ActivityProfile;
import io.ferry.runbook.StepDef;
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

  public static final StepDef CREATE_VECTOR_DROPLET =
      effect(
              PROVISION,
              "create-vector-droplet",
              "Create the vector droplet (4 vCPU / 8 GiB, VPC, tags)",
              "destroy the droplet carrying this run's tag")
          .notSkippable();
  public static final StepDef CREATE_VOLUME =
      effect(
          PROVISION,
          "create-volume",
          "Create and attach the Weaviate data volume",
          "detach and delete the volume");
  public static final StepDef CREATE_FIREWALL =
      effect(
          PROVISION, "create-firewall", "Create the vector node's firewall", "delete the firewall");
  public static final StepDef WAIT_DROPLET_ACTIVE =
      check(PROVISION, "wait-droplet-active", "Wait until the vector droplet is active")
          .profile(ActivityProfile.POLLING)
          .notSkippable();

  public static final StepDef LAUNCH_WEAVIATE =
      effect(
          VECTOR_STORE,
          "launch-weaviate",
          "Launch Weaviate with Docker Compose on the vector node",
          "take the compose project down and remove its files");
  public static final StepDef WAIT_WEAVIATE_READY =
      check(VECTOR_STORE, "wait-weaviate-ready", "Wait until Weaviate is ready")
          .profile(ActivityProfile.POLLING);
  public static final StepDef ENSURE_DATABASE =
      effect(
          VECTOR_STORE,
          "ensure-database",
          "Ensure the orchestrator database with pgvector",
          "drop the database if this run created it");
  public static final StepDef CREATE_COLLECTIONS =
      effect(
          VECTOR_STORE,
          "create-collections",
          "Create collections Personal, PayReady, ParagonRX and multi-tenant Session",
          "delete the collections this run created");

  public static final StepDef BACKUP_MEMORY_KEYS =
      check(MIGRATE, "backup-memory-keys", "Back up the memory keys to a checksummed file (kept)")
          .profile(ActivityProfile.LONG_RUNNING)
          .notSkippable();
  public static final StepDef MIGRATE_MEMORY =
      effect(
              MIGRATE,
              "migrate-memory",
              "Migrate memory items: scan, parse, embed, upsert into Session",
              "delete the objects the migration wrote")
          .profile(ActivityProfile.LONG_RUNNING)
          .notSkippable();
  public static final StepDef COPY_STRUCTURED =
      effect(
              MIGRATE,
              "copy-structured",
              "Copy structured hashes to PostgreSQL with COPY FROM STDIN",
              "drop the tables this run created")
          .profile(ActivityProfile.LONG_RUNNING)
          .notSkippable();
  public static final StepDef VERIFY_COUNTS =
      check(
          MIGRATE, "verify-counts", "Verify counts in Weaviate and PostgreSQL against the source");

  public static final StepDef CONFIRM_APP_RELEASE =
      manual(
          SWITCH,
          "confirm-app-release",
          "Deploy the app release with the Weaviate adapter and Postgres structured store (seed section 5)");
  public static final StepDef SWITCH_APP_CONFIG =
      effect(
          SWITCH,
          "switch-app-config",
          "Switch the app to Weaviate (use_weaviate on, dragonfly off) and restart",
          "restore the previous config and restart");

  public static final StepDef PROBE_WEAVIATE_READY =
      check(VALIDATE, "probe-weaviate-ready", "Weaviate ready answers within the limit (1 s)");
  public static final StepDef PROBE_POSTGRES_TPS =
      check(VALIDATE, "probe-postgres-tps", "pgbench on the app node exceeds the TPS floor (500)")
          .profile(ActivityProfile.LONG_RUNNING);
  public static final StepDef PROBE_QUERY_P95 =
      check(VALIDATE, "probe-query-p95", "Weaviate query p95 within the limit (150 ms)");
  public static final StepDef PROBE_NL_QUERY =
      check(
          VALIDATE,
          "probe-nl-query",
          "Admin UI natural-language query answers within the limit (2 s)");
  public static final StepDef MEASURE_CHAT_LATENCY =
      check(VALIDATE, "measure-chat-latency", "Measure chat p95 for the micro-cache decision")
          .notSkippable();
  public static final StepDef CREATE_MICRO_CACHE_DROPLET =
      effect(
              VALIDATE,
              "create-micro-cache-droplet",
              "Create the micro-cache droplet (chat p95 over 50 ms)",
              "destroy the micro-cache droplet")
          .notSkippable()
          .onlyWhenDecided();
  public static final StepDef WAIT_MICRO_CACHE_ACTIVE =
      check(VALIDATE, "wait-micro-cache-active", "Wait until the micro-cache droplet is active")
          .profile(ActivityProfile.POLLING)
          .notSkippable()
          .onlyWhenDecided();
  public static final StepDef LAUNCH_MICRO_CACHE =
      effect(
              VALIDATE,
              "launch-micro-cache",
              "Launch Dragonfly on the micro-cache droplet",
              "take the Dragonfly project down")
          .onlyWhenDecided();
  public static final StepDef ENABLE_MICRO_CACHE =
      effect(
              VALIDATE,
              "enable-micro-cache",
              "Point the app at the micro-cache and restart",
              "restore the previous config and restart")
          .onlyWhenDecided();

  public static final StepDef APPROVE_DNS_CUTOVER =
      gate(CUTOVER, "approve-dns-cutover", "Approve the DNS cutover to the new stack");
  public static final StepDef READ_DNS_RECORDS =
      check(CUTOVER, "read-dns-records", "Record the current DNS records so they can be restored")
          .notSkippable();
  public static final StepDef SWITCH_DNS =
      effect(
          CUTOVER,
          "switch-dns",
          "Point DNS at the new stack (TTL 15 min)",
          "restore the previous records");

  public static final StepDef SOAK_WEEK = soak(SOAK, "soak", "Soak with the old memory store kept");

  public static final StepDef APPROVE_PURGE =
      gate(PURGE, "approve-purge", "Approve purging the migrated keys from the old store");
  public static final StepDef PURGE_MEMORY_KEYS =
      pointOfNoReturn(PURGE, "purge-memory-keys", "Purge the migrated keys from the memory store")
          .profile(ActivityProfile.LONG_RUNNING);

  public static final List<StepDef> ALL =
      List.of(
          CREATE_VECTOR_DROPLET,
          CREATE_VOLUME,
          CREATE_FIREWALL,
          WAIT_DROPLET_ACTIVE,
          LAUNCH_WEAVIATE,
          WAIT_WEAVIATE_READY,
          ENSURE_DATABASE,
          CREATE_COLLECTIONS,
          BACKUP_MEMORY_KEYS,
          MIGRATE_MEMORY,
          COPY_STRUCTURED,
          VERIFY_COUNTS,
          CONFIRM_APP_RELEASE,
          SWITCH_APP_CONFIG,
          PROBE_WEAVIATE_READY,
          PROBE_POSTGRES_TPS,
          PROBE_QUERY_P95,
          PROBE_NL_QUERY,
          MEASURE_CHAT_LATENCY,
          CREATE_MICRO_CACHE_DROPLET,
          WAIT_MICRO_CACHE_ACTIVE,
          LAUNCH_MICRO_CACHE,
          ENABLE_MICRO_CACHE,
          APPROVE_DNS_CUTOVER,
          READ_DNS_RECORDS,
          SWITCH_DNS,
          SOAK_WEEK,
          APPROVE_PURGE,
          PURGE_MEMORY_KEYS);

  private WeaviateFirstSteps() {}
}
