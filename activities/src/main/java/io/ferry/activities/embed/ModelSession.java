package io.ferry.activities.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session of the model with the native buffers its runs reuse: the token ids go
 * in, and the token vectors come out, through direct buffers kept from run to run, so a text
 * allocates no buffer (a run's own output and three input copies would otherwise be about 50 KB of
 * garbage a sentence). For one thread at a time.
 */
final class ModelSession implements AutoCloseable {

  private static final int FIRST_CAPACITY = 128; // the tokenizer file truncates to 128 tokens

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String output;
  private int capacity;
  private LongBuffer ids;
  private LongBuffer mask;
  private LongBuffer types;
  private FloatBuffer hidden;

  ModelSession(OrtEnvironment environment, byte[] model) throws OrtException {
    this.environment = environment;
    this.session = MiniLmEmbedder.newSession(environment, model);
    this.output = session.getOutputNames().iterator().next();
    grow(FIRST_CAPACITY);
  }

  /**
   * Runs one encoded text and returns its token vectors, token after token, {@link
   * MiniLmEmbedder#DIMENSIONS} floats each; valid until the next run.
   */
  FloatBuffer run(long[] tokenIds, long[] attentionMask, long[] typeIds) throws OrtException {
    int tokens = tokenIds.length;
    if (tokens > capacity) {
      grow(tokens);
    }
    long[] shape = {1, tokens};
    FloatBuffer vectors = hidden.slice(0, tokens * MiniLmEmbedder.DIMENSIONS);
    try (OnnxTensor idsTensor = tensor(ids, tokenIds, shape);
        OnnxTensor maskTensor = tensor(mask, attentionMask, shape);
        OnnxTensor typesTensor = tensor(types, typeIds, shape);
        OnnxTensor out =
            OnnxTensor.createTensor(
                environment, vectors, new long[] {1, tokens, MiniLmEmbedder.DIMENSIONS});
        OrtSession.Result result =
            session.run(
                Map.of(
                    "input_ids", idsTensor,
                    "attention_mask", maskTensor,
                    "token_type_ids", typesTensor),
                Set.of(),
                Map.of(output, out))) {
      return vectors;
    }
  }

  private OnnxTensor tensor(LongBuffer buffer, long[] values, long[] shape) throws OrtException {
    LongBuffer filled = buffer.slice(0, values.length).put(values).flip();
    return OnnxTensor.createTensor(environment, filled, shape);
  }

  private void grow(int tokens) {
    capacity = tokens;
    ids = directLongs(tokens);
    mask = directLongs(tokens);
    types = directLongs(tokens);
    hidden =
        ByteBuffer.allocateDirect(tokens * MiniLmEmbedder.DIMENSIONS * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
  }

  private static LongBuffer directLongs(int n) {
    return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
