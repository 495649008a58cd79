package io.ferry.activities.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM-L6-v2 model, loaded from its Maven artifact. */
class MiniLmEmbedderTest {

  private static final MiniLmEmbedder embedder = new MiniLmEmbedder(2);

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot; // both unit length
  }

  @Test
  void embed_gives384UnitLengthVectors_onePerText() {
    List<float[]> vectors = embedder.embed(List.of("remember the milk", "the deploy is on Friday"));

    assertThat(vectors).hasSize(2);
    for (float[] v : vectors) {
      assertThat(v).hasSize(MiniLmEmbedder.DIMENSIONS);
      assertThat(cosine(v, v)).isCloseTo(1.0, within(1e-3));
    }
  }

  @Test
  void embed_placesParaphrasesCloserThanUnrelatedText() {
    List<float[]> v =
        embedder.embed(
            List.of(
                "The cat is sitting on the mat.",
                "A cat sits on a rug.",
                "Quarterly revenue grew by five percent."));

    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.3);
  }

  @Test
  void embed_inABatch_equalsEmbeddingEachText() {
    List<String> texts = List.of("alpha", "beta gamma", "delta epsilon zeta");

    List<float[]> batch = embedder.embed(texts);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.get(i)).containsExactly(embedder.embed(List.of(texts.get(i))).get(0));
    }
  }

  @Test
  void embed_fromSeveralThreadsAtOnce_givesTheSameVectors() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      texts.add("memory item number " + i);
    }
    List<float[]> expected = embedder.embed(texts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<float[]>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> embedder.embed(texts)));
      }
      for (Future<List<float[]>> r : results) {
        List<float[]> got = r.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(got.get(i)).containsExactly(expected.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void embed_nothing_isNothing() {
    assertThat(embedder.embed(List.of())).isEmpty();
  }
}
