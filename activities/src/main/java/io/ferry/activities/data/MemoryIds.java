package io.ferry.activities.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Weaviate object ids for memory items: name-based UUIDs (version 5, SHA-1) of the source key, so a
 * rerun upserts the same objects instead of adding new ones.
 */
public final class MemoryIds {

  /**
   * The namespace of memory-item ids; fixed forever, or reruns would stop finding their objects.
   */
  public static final UUID NAMESPACE = UUID.fromString("8f0e5c3a-6b1d-5d2e-9a47-2c6b8e1f4d30");

  /** SHA-1 having read the namespace; never updated after, each id hashes on a clone of it. */
  private static final MessageDigest AFTER_NAMESPACE = afterNamespace();

  private MemoryIds() {}

  private static MessageDigest afterNamespace() {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteBuffer ns = ByteBuffer.allocate(16);
      ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
      sha1.update(ns.array());
      return sha1;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  public static UUID forKey(String sourceKey) {
    try {
      MessageDigest sha1 = (MessageDigest) AFTER_NAMESPACE.clone();
      byte[] hash = sha1.digest(sourceKey.getBytes(StandardCharsets.UTF_8));
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
      return new UUID(b.getLong(), b.getLong());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-1 cannot be cloned", e);
    }
  }
}
