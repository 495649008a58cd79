package io.ferry.activities.port;

import java.util.List;

/** Turns text into vectors (MiniLM, 384 dimensions, in the real adapter). */
public interface EmbedderPort {

  int dimensions();

  List<float[]> embed(List<String> texts);
}
