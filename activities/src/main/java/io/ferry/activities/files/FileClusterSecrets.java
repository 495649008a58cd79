package io.ferry.activities.files;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ClusterSecretsPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link ClusterSecretsPort} as files under the worker's state directory: one directory per
 * migration (0700), one file per secret (0600, written to a private temporary file and renamed).
 * The reference names the migration and the secret, never the path or the value.
 */
public final class FileClusterSecrets implements ClusterSecretsPort {

  static final String PREFIX = "worker-secret:";
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path root;

  /** Stores under {@code root} (created 0700 when missing). */
  public FileClusterSecrets(Path root) {
    this.root = root;
  }

  @Override
  public String put(String migration, String name, String value) {
    Path dir = root.resolve(part("migration", migration));
    Path file = dir.resolve(part("name", name));
    try {
      createPrivateDirectory(root);
      createPrivateDirectory(dir);
      Path tmp =
          Files.createTempFile(
              dir,
              ".tmp-",
              "",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, value, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + name + " under " + dir, e);
    }
    return PREFIX + migration + "/" + name;
  }

  @Override
  public Optional<String> get(String reference) {
    if (reference == null || !reference.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = reference.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 2) {
      throw Failures.invalidInput("not a worker secret reference: " + reference);
    }
    Path file = root.resolve(part("migration", parts[0])).resolve(part("name", parts[1]));
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public boolean forget(String migration) {
    Path dir = root.resolve(part("migration", migration));
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // kept as it is: an operator may have made it
    }
  }

  private static String part(String field, String value) {
    if (value == null || !PART.matcher(value).matches()) {
      throw Failures.invalidInput(
          field + " must be letters, digits, . _ - (no slashes), was " + value);
    }
    return value;
  }
}
