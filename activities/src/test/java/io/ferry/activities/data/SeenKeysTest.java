package io.ferry.activities.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenKeysTest {

  @Test
  void addAndCheck_saysMaybeForEveryKeyAddedBefore_andAlmostNeverForNewOnes() {
    SeenKeys seen = new SeenKeys();
    int keys = 200_000;
    for (int i = 0; i < keys; i++) {
      assertThat(seen.addAndCheck(MemoryIds.forKey("memory:" + i)))
          .as("first time for key %d", i)
          .isFalse(); // odds of any false positive here: about 1e-6
    }
    for (int i = 0; i < keys; i++) {
      assertThat(seen.addAndCheck(MemoryIds.forKey("memory:" + i))).isTrue();
    }
    int falsePositives = 0;
    for (int i = keys; i < 2 * keys; i++) {
      if (seen.addAndCheck(MemoryIds.forKey("other:" + i))) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).isZero(); // odds of one: about 3e-5
  }
}
