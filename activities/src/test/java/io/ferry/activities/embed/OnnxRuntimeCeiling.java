package io.ferry.activities.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most this machine embeds with the model: one platform thread per session, each tokenizing a
 * sentence, running it alone and pooling the result, straight on ONNX Runtime with nothing else (no
 * pool hand-offs, no store, no network). Sessions as {@link MiniLmEmbedder} makes them.
 */
public final class OnnxRuntimeCeiling implements AutoCloseable {

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final HuggingFaceTokenizer tokenizer = MiniLmEmbedder.newTokenizer();
  private final List<ModelSession> sessions = new ArrayList<>();

  public OnnxRuntimeCeiling(int threads) throws OrtException {
    byte[] model = MiniLmEmbedder.resource(MiniLmEmbedder.MODEL_RESOURCE);
    for (int i = 0; i < threads; i++) {
      sessions.add(new ModelSession(environment, model));
    }
  }

  /** Embeds every sentence once, on all sessions at once; returns the vectors in order. */
  public float[][] embedAll(List<String> sentences) throws InterruptedException {
    float[][] vectors = new float[sentences.size()][];
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (ModelSession session : sessions) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = next.getAndIncrement();
                      i < sentences.size();
                      i = next.getAndIncrement()) {
                    vectors[i] = embed(session, sentences.get(i));
                  }
                } catch (OrtException | RuntimeException e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              },
              "onnx-ceiling");
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("the ceiling harness failed", failures.get(0));
    }
    return vectors;
  }

  private float[] embed(ModelSession session, String sentence) throws OrtException {
    Encoding encoding = tokenizer.encode(sentence, true, false);
    long[] ids = encoding.getIds();
    FloatBuffer hidden = session.run(ids, encoding.getAttentionMask(), encoding.getTypeIds());
    int dims = MiniLmEmbedder.DIMENSIONS;
    float[] v = new float[dims];
    for (int t = 0; t < ids.length; t++) {
      for (int d = 0; d < dims; d++) {
        v[d] += hidden.get(t * dims + d);
      }
    }
    float squares = 0;
    for (int d = 0; d < dims; d++) {
      v[d] /= ids.length;
      squares += v[d] * v[d];
    }
    float norm = (float) Math.sqrt(squares);
    for (int d = 0; d < dims; d++) {
      v[d] /= norm;
    }
    return v;
  }

  @Override
  public void close() throws OrtException {
    for (ModelSession s : sessions) {
      s.close();
    }
    tokenizer.close();
  }
}
