package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Directory trees on hosts, file by file: what a code sync, an archive and an upload from the
 * worker need. Paths in a manifest are relative to the tree's root, '/'-separated.
 */
public interface FileTreePort {

  /**
   * Every regular file under {@code dir}, names in {@code excludes} left out at any depth; empty
   * when {@code dir} does not exist.
   */
  Optional<Map<String, TreeEntry>> manifest(SshTarget host, String dir, List<String> excludes);

  byte[] read(SshTarget host, String path);

  /** Writes the file atomically, parent directories made, with the octal mode. */
  void write(SshTarget host, String path, byte[] content, String mode);

  /**
   * Copies these files (relative to each tree's root, with their modes) from one host's tree into
   * another's, parent directories made. Adapters that can should do it in one round trip per batch
   * rather than one per file; this default goes file by file.
   */
  default void copy(
      SshTarget from, String fromDir, SshTarget to, String toDir, Map<String, TreeEntry> files) {
    files.forEach(
        (path, entry) ->
            write(to, toDir + "/" + path, read(from, fromDir + "/" + path), entry.mode()));
  }

  /**
   * Removes these files (relative to {@code dir}) and directories left empty; missing ones skip.
   */
  void remove(SshTarget host, String dir, List<String> relativePaths);

  /** Removes the tree; false when it was not there. */
  boolean removeTree(SshTarget host, String dir);

  /**
   * {@code tar -czf archive} of {@code dir} (the excludes left out) unless the archive exists;
   * returns its size and SHA-256 as the host computes them.
   */
  StoredFile archive(SshTarget host, String dir, List<String> excludes, String archive);

  /** Copies a host's file to the worker (kept); returns what the worker holds. */
  StoredFile download(SshTarget host, String path, String localPath);

  /** Copies a worker's file to the host. */
  StoredFile upload(String localPath, SshTarget host, String path, String mode);

  /** Unpacks a tarball's entry into a file, made executable. */
  void extractMember(SshTarget host, String tarball, String member, String destination);

  /**
   * @param mode octal permission bits, such as 644
   */
  record TreeEntry(long bytes, String sha256, String mode) {}

  record StoredFile(String path, long bytes, String sha256) {}
}
