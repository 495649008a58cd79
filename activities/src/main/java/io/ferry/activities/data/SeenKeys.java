package io.ferry.activities.data;

import java.util.UUID;

/**
 * A fixed-size Bloom filter over memory-item ids: which keys one migration attempt has probably
 * handed on already. SCAN may return a key twice (when the store resizes its table during the
 * scan); this keeps the counts honest without a set of every key. Its memory is {@value #BYTES}
 * bytes however many keys there are; a "maybe" is confirmed against Weaviate before an item is
 * counted as a duplicate (see {@link MemoryMigrator}).
 *
 * <p>With 16 MiB and 8 hash functions the false-positive rate is about 1e-10 at 1 M keys (no false
 * positive expected) and 2e-3 at 10 M. A false positive matters only when the item's object is
 * already in Weaviate from an earlier run: then it is not re-sent and not counted, so the count
 * check after the migration would flag the difference instead of passing a wrong total.
 */
final class SeenKeys {

  static final int BYTES = 16 << 20;
  private static final long BITS = BYTES * 8L;
  private static final int HASHES = 8;

  private final long[] words = new long[BYTES / 8];

  /** Adds the id; returns whether it may have been added before. */
  boolean addAndCheck(UUID id) {
    long h1 = id.getMostSignificantBits();
    long h2 = id.getLeastSignificantBits() | 1; // odd, so the probes differ
    boolean present = true;
    for (int i = 0; i < HASHES; i++) {
      long bit = Math.floorMod(h1 + i * h2, BITS);
      int word = (int) (bit >>> 6);
      long mask = 1L << (bit & 63);
      if ((words[word] & mask) == 0) {
        present = false;
        words[word] |= mask;
      }
    }
    return present;
  }
}
