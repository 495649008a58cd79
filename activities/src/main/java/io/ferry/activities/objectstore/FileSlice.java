package io.ferry.activities.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A stretch of a file read as a stream, so a part is sent without holding it in memory. */
final class FileSlice extends InputStream {

  private final FileChannel channel;
  private long position;
  private final long end;

  private FileSlice(FileChannel channel, long from, long length) {
    this.channel = channel;
    this.position = from;
    this.end = from + length;
  }

  /** A fresh stream each call: the SDK opens it again when it resends a part. */
  static InputStream open(Path file, long from, long length) {
    try {
      return new FileSlice(FileChannel.open(file, StandardOpenOption.READ), from, length);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " on the worker", e);
    }
  }

  /** The hex MD5 of the slice: what S3 reports as a part's ETag. */
  static String md5(Path file, long from, long length) throws IOException {
    return digest("MD5", file, from, length);
  }

  static String sha256(Path file, long size) throws IOException {
    return digest("SHA-256", file, 0, size);
  }

  private static String digest(String algorithm, Path file, long from, long length)
      throws IOException {
    try (InputStream in = open(file, from, length)) {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long left = end - position;
    if (left <= 0) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
    if (n < 0) {
      throw new IOException("the file ended " + left + " bytes before the part did");
    }
    position += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
