package io.ferry.activities.postgres;

import io.ferry.activities.port.MemoryStorePort;
import io.ferry.plan.MemoryStoreTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only memory store of {@code size} generated keys {@code session:00000000...}: hashes with
 * fields {@code user}, {@code text} and {@code created} (awkward text now and then), and every
 * thousandth key a plain string that a structured copy skips. Everything is made up front, so
 * reading costs what a lookup in memory costs (the benchmark times the copy, not the generator).
 */
public final class GeneratedHashes implements MemoryStorePort {

  public static final List<String> FIELDS = List.of("user", "text", "created");

  private final int size;
  private final String[] keys;
  private final StoredValue[] values;

  public GeneratedHashes(int size) {
    this.size = size;
    this.keys = new String[size];
    this.values = new StoredValue[size];
    for (int i = 0; i < size; i++) {
      keys[i] = key(i);
      if (isHash(i)) {
        Map<String, String> fields = new LinkedHashMap<>(fields(i));
        fields.values().removeIf(v -> v == null); // a hash has no null fields: the column is NULL
        values[i] = new StoredValue.Hash(fields);
      } else {
        values[i] = new StoredValue.Text("not a hash");
      }
    }
  }

  public static String key(int i) {
    return String.format("session:%08d", i);
  }

  public static boolean isHash(int i) {
    return i % 1000 != 999;
  }

  public long hashCount() {
    return size - (size + 1) / 1000;
  }

  /** The row a structured copy makes of key {@code i}: the key, then {@link #FIELDS}. */
  public static List<String> row(int i) {
    List<String> row = new ArrayList<>(4);
    row.add(key(i));
    Map<String, String> fields = fields(i);
    FIELDS.forEach(f -> row.add(fields.get(f)));
    return row;
  }

  private static Map<String, String> fields(int i) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("user", i % 7 == 0 ? null : "user-" + (i % 997));
    fields.put(
        "text",
        switch (i % 5) {
          case 0 -> "plain message number " + i + " about the migration plan and its steps";
          case 1 -> "she said \"hello, world\"\nand left; ünïcödé 日本語 🚀";
          case 2 -> "";
          case 3 -> "back\\slash \\. and a\ttab, then a comma";
          default -> "a longer note: " + "lorem ipsum dolor sit amet ".repeat(4) + i;
        });
    fields.put("created", "2025-06-02T10:" + String.format("%02d:%02d", (i / 60) % 60, i % 60));
    return fields;
  }

  @Override
  public ScanPage scan(MemoryStoreTarget store, String pattern, String cursor, int count) {
    int from = Integer.parseInt(cursor);
    int to = Math.min(size, from + count);
    return new ScanPage(
        Arrays.asList(keys).subList(from, to), to >= size ? "0" : Integer.toString(to));
  }

  @Override
  public Map<String, StoredValue> read(MemoryStoreTarget store, List<String> keys) {
    Map<String, StoredValue> found = new LinkedHashMap<>(keys.size() * 2);
    for (String key : keys) {
      found.put(key, values[Integer.parseInt(key, "session:".length(), key.length(), 10)]);
    }
    return found;
  }

  @Override
  public ScratchRun exerciseScratch(MemoryStoreTarget store, String prefix, int rounds) {
    throw new UnsupportedOperationException("read-only");
  }

  @Override
  public long delete(MemoryStoreTarget store, List<String> keys) {
    throw new UnsupportedOperationException("read-only");
  }
}
