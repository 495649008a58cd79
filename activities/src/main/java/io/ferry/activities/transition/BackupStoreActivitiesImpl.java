package io.ferry.activities.transition;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.FileTreePort;
import io.ferry.activities.port.FileTreePort.StoredFile;
import io.ferry.activities.port.ObjectStorePort;
import io.ferry.activities.port.ObjectStorePort.Bucket;
import io.ferry.activities.port.ObjectStorePort.StoredObject;
import io.ferry.activities.port.PgDumpPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.contract.BackupStoreActivities;
import io.ferry.contract.TransitionActivities.ObjectStore;
import io.ferry.plan.PostgresTarget;
import java.util.Optional;

/**
 * Kept backups copied to the object store (Spaces is a backup store like the worker's disk): a
 * worker's file as it is, a database as a {@code pg_dump} made on a host and copied to the worker
 * first. Each part finds what an earlier attempt made.
 */
public final class BackupStoreActivitiesImpl implements BackupStoreActivities {

  private final FileTreePort trees;
  private final ObjectStorePort objects;
  private final PgDumpPort dumps;
  private final SecretResolver secrets;

  public BackupStoreActivitiesImpl(
      FileTreePort trees, ObjectStorePort objects, PgDumpPort dumps, SecretResolver secrets) {
    this.trees = trees;
    this.objects = objects;
    this.dumps = dumps;
    this.secrets = secrets;
  }

  @Override
  public StoredBackup storeBackup(BackupUpload request) {
    return store(
        Failures.require("localPath", request.localPath()),
        Failures.require("sha256", request.sha256()),
        request.store(),
        request.objectKey());
  }

  @Override
  public StoredBackup backupDatabase(DatabaseBackup request) {
    PostgresTarget database = Failures.require("database", request.database());
    String name = Keys.safe(Failures.require("key", request.key())) + ".dump";
    WrittenFile dump =
        dumps.pgDump(
            Failures.require("host", request.host()),
            database,
            secrets.resolve(database.password()),
            SourceArchiver.dir(request.hostDir()) + "/" + name);
    if (dump.bytes() <= 0) {
      throw Failures.precondition("pg_dump wrote an empty file " + dump.path());
    }
    StoredFile local =
        trees.download(
            request.host(), dump.path(), SourceArchiver.dir(request.localDir()) + "/" + name);
    if (!local.sha256().equals(dump.sha256())) {
      SourceArchiver.deleteWorkerCopy(local.path());
      throw new IllegalStateException(
          "the worker's copy of "
              + dump.path()
              + " has SHA-256 "
              + local.sha256()
              + ", the host's "
              + dump.sha256());
    }
    String prefix = request.objectPrefix() == null ? "" : request.objectPrefix();
    return store(local.path(), dump.sha256(), request.store(), prefix + name);
  }

  private StoredBackup store(String localPath, String sha256, ObjectStore store, String key) {
    String objectKey = SourceArchiver.objectKey(key);
    Bucket bucket = SourceArchiver.bucket(store, secrets);
    Optional<StoredObject> there = objects.head(bucket, objectKey);
    if (there.isPresent() && sha256.equals(there.get().sha256())) {
      return new StoredBackup(
          localPath, bucket.name() + "/" + objectKey, there.get().bytes(), sha256, false);
    }
    StoredObject stored =
        objects.upload(bucket, objectKey, localPath, sha256, SourceArchiver.PART_BYTES);
    if (!sha256.equals(stored.sha256()) || stored.bytes() <= 0) {
      throw new IllegalStateException(
          "the store holds "
              + stored.bytes()
              + " bytes of "
              + objectKey
              + " with SHA-256 "
              + stored.sha256()
              + ", the backup has "
              + sha256);
    }
    return new StoredBackup(
        localPath, bucket.name() + "/" + objectKey, stored.bytes(), sha256, true);
  }
}
