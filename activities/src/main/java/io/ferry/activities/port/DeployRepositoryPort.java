package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Optional;

/** The deployment repository on its host: archives, moves aside and back, counts. */
public interface DeployRepositoryPort {

  record Tarball(String path, String sha256, int files) {}

  /**
   * Writes {@code tarball} (relative to the repository) from the files matching {@code include}
   * minus {@code exclude}, and its {@code .sha256} beside it; an existing tarball is kept as is.
   */
  Tarball archive(
      SshTarget host,
      String repository,
      List<String> include,
      List<String> exclude,
      String tarball);

  /**
   * Moves the files whose names match {@code patterns} (anywhere under the repository, outside
   * {@code intoDir}) into {@code intoDir}, listing each move in {@code manifest}; a manifest
   * already there means an earlier attempt moved them: its list is returned.
   */
  List<String> moveAside(
      SshTarget host, String repository, List<String> patterns, String intoDir, String manifest);

  /** Moves back what {@code manifest} lists and removes it; empty when there is no manifest. */
  List<String> moveBack(SshTarget host, String repository, String manifest);

  /** The manifest's moves, or empty when there is none. */
  Optional<List<String>> moved(SshTarget host, String repository, String manifest);

  /** Files (not directories) directly in the repository's root. */
  int rootFiles(SshTarget host, String repository);

  /** Moves files matching {@code globs} in the root into {@code intoDir}; returns them. */
  List<String> moveInto(SshTarget host, String repository, List<String> globs, String intoDir);

  /** Writes a file in the repository (atomically). */
  void writeFile(SshTarget host, String repository, String relativePath, String content);
}
