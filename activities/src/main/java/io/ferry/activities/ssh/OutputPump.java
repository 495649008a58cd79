package io.ferry.activities.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Drains one output stream of a command (so the channel never stalls), keeping its text. */
final class OutputPump extends Thread {
  private final InputStream in;
  private final OutputStream sink;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private volatile String lastLine = "";
  private volatile long lastLineAt;
  private volatile IOException failure;
  private boolean overflowed;

  /** With a {@code sink}, the output goes there and nothing is kept. */
  OutputPump(InputStream in, String name, OutputStream sink) {
    super(name);
    this.in = in;
    this.sink = sink;
    setDaemon(true);
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (sink != null) {
          if (failure == null) {
            try {
              sink.write(buffer, 0, n);
            } catch (IOException e) {
              failure = e; // keep draining so the command is not stalled
            }
          }
          continue; // binary: no lines to report
        }
        synchronized (this) {
          if (kept.size() + n <= SshSessions.MAX_OUTPUT_BYTES) {
            kept.write(buffer, 0, n);
          } else {
            overflowed = true;
          }
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lastLine = line.toString(StandardCharsets.UTF_8);
            lastLineAt = System.nanoTime();
            line.reset();
          } else if (line.size() < 4096) {
            line.write(buffer[i]);
          }
        }
      }
    } catch (IOException e) {
      failure = e;
    }
  }

  String lastLine() {
    return lastLine;
  }

  long lastLineAt() {
    return lastLineAt;
  }

  synchronized String text() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (overflowed) {
      throw new IOException(
          "command wrote more than " + SshSessions.MAX_OUTPUT_BYTES + " bytes to " + getName());
    }
    return kept.toString(StandardCharsets.UTF_8);
  }
}
