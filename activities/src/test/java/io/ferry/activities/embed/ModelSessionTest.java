package io.ferry.activities.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelSessionTest {

  private static long[] ids(int tokens) {
    long[] ids = new long[tokens];
    ids[0] = 101; // [CLS]
    for (int i = 1; i < tokens - 1; i++) {
      ids[i] = 2000 + (i * 37) % 20000;
    }
    ids[tokens - 1] = 102; // [SEP]
    return ids;
  }

  private static float[] run(ModelSession session, int tokens) throws Exception {
    long[] ids = ids(tokens);
    long[] ones = new long[tokens];
    Arrays.fill(ones, 1);
    FloatBuffer out = session.run(ids, ones, new long[tokens]);
    float[] copy = new float[out.remaining()];
    out.get(copy);
    return copy;
  }

  @Test
  void aRunLongerThanTheBuffersGrowsThem_andLaterRunsGiveWhatAFreshSessionGives() throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    byte[] model = MiniLmEmbedder.resource(MiniLmEmbedder.MODEL_RESOURCE);
    try (ModelSession used = new ModelSession(environment, model);
        ModelSession fresh = new ModelSession(environment, model)) {
      float[] long1 = run(used, 300);
      float[] short1 = run(used, 7);

      assertThat(long1).hasSize(300 * MiniLmEmbedder.DIMENSIONS);
      for (float v : long1) {
        assertThat(Float.isFinite(v)).isTrue();
      }
      assertThat(short1).containsExactly(run(fresh, 7));
      assertThat(run(used, 300)).containsExactly(long1);
    }
  }
}
