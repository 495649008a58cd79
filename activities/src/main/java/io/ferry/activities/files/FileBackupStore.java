package io.ferry.activities.files;

import io.ferry.activities.Failures;
import io.ferry.activities.port.BackupStorePort;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link BackupStorePort} on the worker's filesystem. A backup is written to a private temporary
 * file beside it, forced to disk and renamed over the target, so a crash leaves the old backup or
 * the new one, never a torn file; it is readable by its owner only (0600). Relative paths resolve
 * against {@code root}.
 */
public final class FileBackupStore implements BackupStorePort {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;
  private final boolean posix;

  public FileBackupStore(Path root) {
    this.root = root.toAbsolutePath();
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public Optional<List<String>> read(String path) {
    Path file = resolve(path);
    try {
      return Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read backup " + file, e);
    }
  }

  @Override
  public void write(String path, List<String> lines) {
    Path file = resolve(path);
    for (String line : lines) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw Failures.invalidInput(
            "a backup line must not contain a line break: " + abbreviate(line));
      }
    }
    Path temp = null;
    try {
      Path directory = file.getParent();
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory, directoryAttributes());
      }
      temp =
          Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp", fileAttributes());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          BufferedWriter out =
              new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16)) {
        for (String line : lines) {
          out.write(line);
          out.write('\n');
        }
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw Failures.precondition("cannot replace " + file + " atomically on this filesystem");
      }
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write backup " + file, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: the temporary file is private and named as ours
        }
      }
    }
  }

  private Path resolve(String path) {
    Failures.require("path", path);
    if (path.indexOf('\0') >= 0) {
      throw Failures.invalidInput("backup path must not contain a NUL character");
    }
    Path file = root.resolve(path).normalize();
    if (file.getFileName() == null || Files.isDirectory(file)) {
      throw Failures.invalidInput("backup path " + path + " names a directory, not a file");
    }
    return file;
  }

  private FileAttribute<?>[] fileAttributes() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private FileAttribute<?>[] directoryAttributes() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY)}
        : new FileAttribute<?>[0];
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
