package io.ferry.activities.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ferry.activities.Failures;
import io.ferry.activities.port.MemoryStorePort.StoredValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines of a key backup: one canonical JSON line per key, so the file's checksum depends on the
 * data only, and a purge can compare what it finds with what was backed up.
 */
public final class BackupLines {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private BackupLines() {}

  /** The key and its value as one line of canonical JSON (keys of a map in order). */
  static String of(String key, StoredValue value) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("key", key);
    if (value instanceof StoredValue.Text text) {
      line.put("type", "string");
      line.put("value", text.value());
    } else if (value instanceof StoredValue.Hash hash) {
      line.put("type", "hash");
      line.put("value", new TreeMap<>(hash.fields()));
    } else if (value instanceof StoredValue.Other other) {
      line.put("type", other.type()); // not readable by Ferry; recorded so the backup names it
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render key " + key, e);
    }
  }

  static String keyOf(String line) {
    try {
      return JSON.readTree(line).get("key").asText();
    } catch (JsonProcessingException | NullPointerException e) {
      throw Failures.precondition("backup line is not one Ferry wrote: " + abbreviate(line));
    }
  }

  /** SHA-256 of the lines, each ended by a newline (the file's bytes). */
  public static String sha256(List<String> lines) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String line : lines) {
        digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
