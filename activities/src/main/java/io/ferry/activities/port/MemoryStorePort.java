package io.ferry.activities.port;

import io.ferry.plan.MemoryStoreTarget;
import java.util.List;
import java.util.Map;

/** A Redis-protocol store (Dragonfly, Redis, Valkey): SCAN, reads by type, deletes. */
public interface MemoryStorePort {

  /** One {@code SCAN cursor MATCH pattern COUNT count}; cursor {@code 0} starts and ends. */
  ScanPage scan(MemoryStoreTarget store, String pattern, String cursor, int count);

  /**
   * The values of the keys that exist (strings with GET, hashes with HGETALL, other types by name),
   * in the order of {@code keys}.
   */
  Map<String, StoredValue> read(MemoryStoreTarget store, List<String> keys);

  /** Deletes the keys; returns how many existed. */
  long delete(MemoryStoreTarget store, List<String> keys);

  /**
   * A functional check on scratch keys: each round runs LPUSH/RPOP on {@code <prefix>list},
   * INCR/GET on {@code <prefix>counter} and SETEX (60 s)/GET on {@code <prefix>ttl}, checks each
   * answer (a wrong one throws {@code PreconditionFailed}) and times the round. In a finally block
   * it deletes every key matching {@code <prefix>*} (SCAN + DEL), also after a failure; the prefix
   * must end with {@code :} and name the run, so no other key is touched.
   *
   * @return each round's wall time, and how many keys under the prefix were left after cleanup
   */
  ScratchRun exerciseScratch(MemoryStoreTarget store, String prefix, int rounds);

  record ScratchRun(List<java.time.Duration> roundLatencies, long keysLeft) {}

  record ScanPage(List<String> keys, String cursor) {
    public boolean last() {
      return "0".equals(cursor);
    }
  }

  /** A stored value: a string, a hash, or another type Ferry does not read (list, set, ...). */
  sealed interface StoredValue {
    record Text(String value) implements StoredValue {}

    record Hash(Map<String, String> fields) implements StoredValue {}

    /** A key of another type (Redis's TYPE name), so callers can count it instead of missing it. */
    record Other(String type) implements StoredValue {}
  }
}
