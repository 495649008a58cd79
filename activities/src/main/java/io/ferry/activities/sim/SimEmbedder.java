package io.ferry.activities.sim;

import io.ferry.activities.port.EmbedderPort;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for MiniLM: a deterministic, unit-length 384-dimension vector from a hash of the text.
 */
final class SimEmbedder implements EmbedderPort {

  static final int DIMENSIONS = 384;

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(vector(text));
    }
    return out;
  }

  static float[] vector(String text) {
    try {
      float[] v = new float[DIMENSIONS];
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      int filled = 0;
      for (int block = 0; filled < DIMENSIONS; block++) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        ByteBuffer digest =
            ByteBuffer.wrap(sha.digest(ByteBuffer.allocate(4).putInt(block).array()));
        while (digest.remaining() >= 2 && filled < DIMENSIONS) {
          v[filled++] = digest.getShort() / 32768f;
        }
      }
      double norm = 0;
      for (float f : v) {
        norm += f * f;
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
