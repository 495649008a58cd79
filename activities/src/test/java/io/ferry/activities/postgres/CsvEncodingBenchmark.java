package io.ferry.activities.postgres;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteStreamWriter;

/**
 * Client-side cost per row of making COPY's CSV, with no server: {@link CsvRows#write} through a
 * UTF-8 Writer (how {@code copyIn} encoded before) against {@link CsvRows.Encoder} (straight to
 * bytes), on the structured-copy benchmark's rows. Run on demand (README "Benchmarks").
 */
@Tag("benchmark")
class CsvEncodingBenchmark {

  private long bytes;

  @Test
  void writerVersusByteEncoder() throws Exception {
    int keys = Integer.getInteger("ferry.bench.rows", 500_000);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      if (GeneratedHashes.isHash(i)) {
        rows.add(GeneratedHashes.row(i));
      }
    }
    OutputStream discard =
        new OutputStream() {
          @Override
          public void write(int b) {
            bytes++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            bytes += len;
          }
        };
    double bestWriter = Double.MAX_VALUE;
    double bestEncoder = Double.MAX_VALUE;
    for (int round = 0; round <= 8; round++) { // round 0 warms up
      long started = System.nanoTime();
      Writer out =
          new BufferedWriter(new OutputStreamWriter(discard, StandardCharsets.UTF_8), 1 << 16);
      for (List<String> row : rows) {
        CsvRows.write(out, row, 4, "bench");
      }
      out.flush();
      double writer = (System.nanoTime() - started) / (double) rows.size();
      long writerBytes = bytes;

      bytes = 0;
      started = System.nanoTime();
      CsvRows.Encoder encoder = new CsvRows.Encoder(new DiscardingCopyIn(), 1 << 16);
      for (List<String> row : rows) {
        encoder.write(row, 4, "bench");
      }
      encoder.flush();
      double byteEncoder = (System.nanoTime() - started) / (double) rows.size();
      if (bytes != writerBytes) {
        throw new AssertionError("the encodings differ: " + writerBytes + " and " + bytes);
      }
      bytes = 0;
      if (round > 0) {
        bestWriter = Math.min(bestWriter, writer);
        bestEncoder = Math.min(bestEncoder, byteEncoder);
      }
      System.out.printf(
          Locale.ROOT,
          "round %d: Writer %.0f ns/row, Encoder %.0f ns/row%n",
          round,
          writer,
          byteEncoder);
    }
    System.out.printf(
        Locale.ROOT,
        "CSV for COPY, %,d rows, best of 8: Writer %.0f ns/row, byte Encoder %.0f ns/row%n",
        rows.size(),
        bestWriter,
        bestEncoder);
  }

  private final class DiscardingCopyIn implements CopyIn {
    @Override
    public void writeToCopy(byte[] buf, int off, int siz) {
      bytes += siz;
    }

    @Override
    public void writeToCopy(ByteStreamWriter from) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void flushCopy() {}

    @Override
    public long endCopy() {
      return 0;
    }

    @Override
    public int getFieldCount() {
      return 0;
    }

    @Override
    public int getFormat() {
      return 0;
    }

    @Override
    public int getFieldFormat(int field) {
      return 0;
    }

    @Override
    public boolean isActive() {
      return true;
    }

    @Override
    public void cancelCopy() {}

    @Override
    public long getHandledRowCount() {
      return 0;
    }
  }
}
