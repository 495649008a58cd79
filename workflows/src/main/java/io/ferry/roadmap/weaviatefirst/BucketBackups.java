package io.ferry.roadmap.weaviatefirst;

import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.BACKUP_DATABASE;
import static io.ferry.roadmap.weaviatefirst.WeaviateFirstSteps.STORE_MEMORY_BACKUP;

import io.ferry.contract.BackupStoreActivities;
import io.ferry.contract.BackupStoreActivities.BackupUpload;
import io.ferry.contract.BackupStoreActivities.DatabaseBackup;
import io.ferry.contract.DataActivities.Backup;
import io.ferry.contract.TransitionActivities.ObjectStore;
import io.ferry.runbook.Runbook;
import io.temporal.workflow.Workflow;

/**
 * Seed section 8, "retain the import data and the Postgres dump in Spaces": when the plan names a
 * backup store, the memory backup and a dump of the orchestrator database also go to its bucket.
 * Runs begun before this change (and plans without a store) issue the commands they always did.
 */
final class BucketBackups {

  static final String CHANGE_ID = "weaviate-first-backups-to-object-store";
  static final int FIRST_VERSION = 1;

  private final Runbook runbook;
  private final WeaviateFirstPlan plan;
  private final String notNeeded;

  /** Decides once per run, at the first backup; the version marker is recorded there. */
  BucketBackups(Runbook runbook, WeaviateFirstPlan plan) {
    this.runbook = runbook;
    this.plan = plan;
    if (plan.backupStore() == null) {
      notNeeded = "the plan names no backupStore: the backups are kept on the worker";
    } else if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, FIRST_VERSION)
        < FIRST_VERSION) {
      notNeeded = "this run began before backups went to the backup store";
    } else {
      notNeeded = null;
    }
  }

  void storeMemoryBackup(Backup backup) {
    if (notNeeded != null) {
      runbook.notNeeded(STORE_MEMORY_BACKUP, notNeeded);
      return;
    }
    String file = backup.file();
    String objectKey = objectPrefix() + file.substring(file.lastIndexOf('/') + 1);
    runbook.check(
        STORE_MEMORY_BACKUP,
        BackupStoreActivities.class,
        backups ->
            backups.storeBackup(new BackupUpload(file, backup.sha256(), objectStore(), objectKey)));
  }

  void backupDatabase(String key) {
    if (notNeeded != null) {
      runbook.notNeeded(BACKUP_DATABASE, notNeeded);
      return;
    }
    runbook.check(
        BACKUP_DATABASE,
        BackupStoreActivities.class,
        backups ->
            backups.backupDatabase(
                new DatabaseBackup(
                    plan.appNode(),
                    plan.postgres(),
                    plan.backupStore().hostDir(),
                    plan.memoryStore().backupDir(),
                    objectStore(),
                    objectPrefix(),
                    key)));
  }

  private String objectPrefix() {
    return plan.backupStore().prefix() + plan.name() + "/";
  }

  private ObjectStore objectStore() {
    WeaviateFirstPlan.BackupStore store = plan.backupStore();
    return new ObjectStore(
        store.endpoint(), store.region(), store.bucket(), store.accessKey(), store.secretKey());
  }
}
