package io.ferry.activities.transition;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.FileTreePort;
import io.ferry.activities.port.FileTreePort.StoredFile;
import io.ferry.activities.port.ObjectStorePort;
import io.ferry.activities.port.ObjectStorePort.Bucket;
import io.ferry.activities.port.ObjectStorePort.StoredObject;
import io.ferry.contract.TransitionActivities.ArchiveReport;
import io.ferry.contract.TransitionActivities.ArchiveRequest;
import io.ferry.contract.TransitionActivities.ObjectStore;
import java.util.Optional;

/**
 * The source's final archive (seed phase 5): tar and SHA-256 on the source, a copy kept on the
 * worker, the object in the store. Each part finds what an earlier attempt made: the archive on the
 * source is not remade, an object with the same SHA-256 and size is not uploaded again.
 */
final class SourceArchiver {

  /** Parts of 64 MiB: an archive larger than one part goes up as a multipart upload. */
  static final long PART_BYTES = 64L * 1024 * 1024;

  private final FileTreePort trees;
  private final ObjectStorePort objects;
  private final SecretResolver secrets;

  SourceArchiver(FileTreePort trees, ObjectStorePort objects, SecretResolver secrets) {
    this.trees = trees;
    this.objects = objects;
    this.secrets = secrets;
  }

  ArchiveReport archive(ArchiveRequest request) {
    String objectKey = objectKey(request.objectKey());
    String name = objectKey.substring(objectKey.lastIndexOf('/') + 1);
    StoredFile made =
        trees.archive(
            request.source(),
            Failures.require("checkoutDir", request.checkoutDir()),
            request.excludes(),
            dir(request.remoteDir()) + "/" + name);
    StoredFile local =
        trees.download(request.source(), made.path(), dir(request.localDir()) + "/" + name);
    if (!local.sha256().equals(made.sha256())) {
      deleteWorkerCopy(local.path()); // the retry copies afresh instead of continuing a bad copy
      throw new IllegalStateException(
          "the worker's copy of "
              + made.path()
              + " has SHA-256 "
              + local.sha256()
              + ", the source's "
              + made.sha256());
    }
    Bucket bucket = bucket(request.store(), secrets);
    Optional<StoredObject> there = objects.head(bucket, objectKey);
    StoredObject stored;
    if (there.isPresent()
        && there.get().bytes() == made.bytes()
        && made.sha256().equals(there.get().sha256())) {
      stored = there.get();
    } else {
      stored = objects.upload(bucket, objectKey, local.path(), made.sha256(), PART_BYTES);
    }
    if (stored.bytes() != made.bytes()) {
      throw new IllegalStateException(
          "the store holds "
              + stored.bytes()
              + " bytes of "
              + objectKey
              + ", the archive has "
              + made.bytes());
    }
    return new ArchiveReport(
        local.path(),
        bucket.name() + "/" + objectKey,
        made.bytes(),
        made.sha256(),
        Math.max(1, stored.parts()));
  }

  static String objectKey(String objectKey) {
    Failures.require("objectKey", objectKey);
    if (objectKey.startsWith("/") || objectKey.contains("..")) {
      throw Failures.invalidInput("objectKey must be relative without '..', was " + objectKey);
    }
    return objectKey;
  }

  static Bucket bucket(ObjectStore store, SecretResolver secrets) {
    Failures.require("store", store);
    return new Bucket(
        Failures.require("endpoint", store.endpoint()),
        store.region(),
        Failures.require("bucket", store.bucket()),
        secrets.resolve(Failures.require("accessKey", store.accessKey())),
        secrets.resolve(Failures.require("secretKey", store.secretKey())));
  }

  static void deleteWorkerCopy(String path) {
    try {
      java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(path));
    } catch (java.io.IOException | RuntimeException e) {
      // the mismatch below is what the operator needs to read; a copy left behind is retried
    }
  }

  static String dir(String dir) {
    if (dir == null || !dir.startsWith("/") || dir.contains("..")) {
      throw Failures.invalidInput("directory must be absolute without '..', was " + dir);
    }
    return dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
  }
}
