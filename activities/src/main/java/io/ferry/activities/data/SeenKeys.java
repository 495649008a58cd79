package io.ferry.activities.data;

import java.util.UUID;

/**
 * A fixed-size Bloom filter over memory-item ids: which keys one migration attempt has probably
 * handed on already. SCAN may return a key twice (when the store resizes its table during the
 * scan); this keeps the counts honest without a set of every key. Its memory is {@value #BYTES}
 * bytes however many keys there are; a "maybe" is confirmed against Weaviate before an item is
 * counted as a duplicate (see {@link MemoryMigrator}).
 *
 * <p>With 16 MiB, 512-bit blocks and 8 hash functions the false-positive rate is about 5e-9 at 1 M
 * keys (no false positive expected) and 2e-3 at 10 M. A false positive matters only when the item's
 * object is already in Weaviate from an earlier run: then it is not re-sent and not counted, so the
 * count check after the migration would flag the difference instead of passing a wrong total.
 */
final class SeenKeys {

  static final int BYTES = 16 << 20;
  private static final int WORDS_PER_BLOCK = 8; // 512 bits: one 64-byte cache line
  private static final int BLOCKS = BYTES / 8 / WORDS_PER_BLOCK;
  private static final int HASHES = 8;

  private final long[] words = new long[BYTES / 8];

  /**
   * Adds the id; returns whether it may have been added before. All of an id's bits lie in one
   * cache line (a blocked filter): one memory access per key instead of eight.
   */
  boolean addAndCheck(UUID id) {
    // the high half of the first long is all hash (a version 5 UUID fixes a nibble lower down)
    int base = (int) ((id.getMostSignificantBits() >>> 32) & (BLOCKS - 1)) * WORDS_PER_BLOCK;
    // 9 bits per probe from a mix of both halves: 7 probes from one 64-bit mix, 1 from another
    long bits =
        mix(id.getLeastSignificantBits() ^ Long.rotateLeft(id.getMostSignificantBits(), 17));
    long more = mix(bits);
    boolean present = true;
    for (int i = 0; i < HASHES; i++) {
      int bit = (int) ((i < 7 ? bits >>> (9 * i) : more) & 511);
      int word = base + (bit >>> 6);
      long mask = 1L << (bit & 63);
      if ((words[word] & mask) == 0) {
        present = false;
        words[word] |= mask;
      }
    }
    return present;
  }

  /** MurmurHash3's 64-bit finalizer: every input bit moves every output bit. */
  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    return x ^ (x >>> 33);
  }
}
