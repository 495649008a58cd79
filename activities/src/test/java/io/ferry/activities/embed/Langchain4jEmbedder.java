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
 * The embedder Ferry had before running the model itself: langchain4j's in-process model for the
 * same file, each text a task on a pool of one thread per core. Kept for benchmarks to compare.
 */
public final class Langchain4jEmbedder implements EmbedderPort, AutoCloseable {

  private final ExecutorService threads;
  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  public Langchain4jEmbedder(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "langchain4j-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(this.threads);
  }

  @Override
  public int dimensions() {
    return MiniLmEmbedder.DIMENSIONS;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (Embedding e : model.embedAll(segments).content()) {
      vectors.add(e.vector());
    }
    return vectors;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
