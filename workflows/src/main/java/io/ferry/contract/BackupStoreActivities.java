package io.ferry.contract;

import io.ferry.contract.TransitionActivities.ObjectStore;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;

/**
 * Kept backups copied to an S3-compatible object store (DigitalOcean Spaces), a backup store like
 * the worker's disk: weaviate-first's memory backup and database dump when its plan names a bucket.
 */
@ActivityInterface(namePrefix = "BackupStore.")
public interface BackupStoreActivities {

  /**
   * Copies a kept backup from the worker to the object store; an object of the key with the same
   * SHA-256 is not uploaded again.
   */
  StoredBackup storeBackup(BackupUpload request);

  /**
   * {@code pg_dump} of the database on the host (kept there), the dump copied to the worker (kept)
   * and to the object store. A retry finds the dump, the copy and the object.
   */
  StoredBackup backupDatabase(DatabaseBackup request);

  /**
   * @param sha256 the file's SHA-256 as the step that wrote it reported
   */
  record BackupUpload(String localPath, String sha256, ObjectStore store, String objectKey) {}

  /**
   * @param hostDir where the dump is kept on the host
   * @param localDir where the worker keeps its copy
   * @param objectPrefix the object's key is this followed by the dump's file name
   */
  record DatabaseBackup(
      SshTarget host,
      PostgresTarget database,
      String hostDir,
      String localDir,
      ObjectStore store,
      String objectPrefix,
      String key) {}

  record StoredBackup(String localPath, String object, long bytes, String sha256, boolean uploaded)
      implements Summarized {
    @Override
    public String summary() {
      return (uploaded ? "stored " : "already stored ")
          + object
          + " ("
          + bytes
          + " bytes, sha256 "
          + sha256.substring(0, Math.min(12, sha256.length()))
          + "); kept "
          + localPath;
    }
  }
}
