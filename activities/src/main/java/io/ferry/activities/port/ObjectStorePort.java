package io.ferry.activities.port;

import java.util.Optional;

/** An S3-compatible object store (DigitalOcean Spaces); credentials come resolved. */
public interface ObjectStorePort {

  /** The object's size and the SHA-256 it was stored with, or empty. */
  Optional<StoredObject> head(Bucket bucket, String key);

  /**
   * Uploads the worker's file, in parts of {@code partBytes} when it is larger; the SHA-256 goes
   * with it as metadata. Returns what the store holds afterwards.
   */
  StoredObject upload(Bucket bucket, String key, String localPath, String sha256, long partBytes);

  record Bucket(String endpoint, String region, String name, String accessKey, String secretKey) {
    @Override
    public String toString() {
      return "Bucket[" + endpoint + ", " + name + "]";
    }
  }

  /**
   * @param parts how many parts the upload used (1 for a single PUT); 0 when not known
   */
  record StoredObject(String key, long bytes, String sha256, int parts) {}
}
