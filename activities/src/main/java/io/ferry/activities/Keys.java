package io.ferry.activities;

/**
 * How an idempotency key marks what a step made: as a resource tag at the cloud provider, a comment
 * on a database or table, a collection description, or a file-name suffix.
 */
public final class Keys {

  private Keys() {}

  /** The marker carried by resources made under {@code key}: {@code ferry:<safe-key>}. */
  public static String marker(String key) {
    return "ferry:" + safe(key);
  }

  /** The key with every character outside {@code [A-Za-z0-9_-]} replaced by {@code _}. */
  public static String safe(String key) {
    Failures.require("key", key);
    return key.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
