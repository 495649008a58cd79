package io.ferry.activities.files;

import io.ferry.activities.Failures;
import io.ferry.activities.port.WorkerFilesPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** {@link WorkerFilesPort} on the worker's file system. */
public final class LocalWorkerFiles implements WorkerFilesPort {

  @Override
  public Optional<String> readText(String path, long maxBytes) {
    Path file = Path.of(Failures.require("path", path));
    if (!file.isAbsolute()) {
      throw Failures.invalidInput(path + " is not an absolute path");
    }
    try {
      if (Files.notExists(file)) {
        return Optional.empty();
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
        throw Failures.invalidInput(path + " is not a regular file");
      }
      long size = Files.size(file);
      if (size > maxBytes) {
        throw Failures.invalidInput(path + " is " + size + " bytes, larger than " + maxBytes);
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // retryable: a file system hiccup may pass; a permission problem repeats and surfaces
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
