package io.ferry.activities.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.ferry.activities.port.EmbedderPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link EmbedderPort} with all-MiniLM-L6-v2 (quantized, 384 dimensions, unit-length vectors). A
 * batch is spread over one thread per core; the ONNX session is shared and safe to use from many
 * threads, so one instance serves every activity of the worker.
 */
public final class MiniLmEmbedder implements EmbedderPort, AutoCloseable {

  public static final int DIMENSIONS = 384;

  private final ExecutorService threads;
  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  /** One embedding thread per available core. */
  public MiniLmEmbedder() {
    this(Runtime.getRuntime().availableProcessors());
  }

  public MiniLmEmbedder(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "minilm-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(this.threads);
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
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      segments.add(TextSegment.from(text));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding e : embeddings) {
      vectors.add(e.vector());
    }
    return vectors;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
