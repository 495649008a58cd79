package io.ferry.activities.transition;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.port.FileTreePort;
import io.ferry.activities.port.FileTreePort.TreeEntry;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.contract.TransitionActivities.CodeSync;
import io.ferry.contract.TransitionActivities.SyncReport;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Copies a tree from one host to another through the worker, file by file where the two manifests
 * differ. Both connections verify their host's key against the plan, the hosts need no trust in
 * each other and no agent is forwarded. What the target held before the first attempt is written
 * once beside the tree ({@code .<dir>.ferry-sync-<key>}), so the undo removes only what the sync
 * added.
 */
final class CodeSyncer {

  /** Files and bytes copied so far, sent as heartbeats. */
  record Progress(long files, long bytes) {}

  static final String ABSENT = "(absent)";
  static final int BATCH_FILES = 500;
  static final long BATCH_BYTES = 16L * 1024 * 1024;

  private final FileTreePort trees;
  private final HostFilesPort files;

  CodeSyncer(FileTreePort trees, HostFilesPort files) {
    this.trees = trees;
    this.files = files;
  }

  SyncReport sync(CodeSync sync) {
    requireValid(sync);
    Map<String, TreeEntry> source =
        trees
            .manifest(sync.source(), sync.sourceDir(), sync.excludes())
            .orElseThrow(
                () ->
                    Failures.notFound(
                        "source checkout "
                            + sync.sourceDir()
                            + " does not exist on "
                            + sync.source().host()));
    Optional<Map<String, TreeEntry>> before =
        trees.manifest(sync.target(), sync.targetDir(), List.of());
    recordBefore(sync, before);
    Map<String, TreeEntry> target = before.orElse(Map.of());
    ActivityExecutionContext context = context();
    long copied = 0;
    long copiedBytes = 0;
    Map<String, TreeEntry> batch = new TreeMap<>();
    long batchBytes = 0;
    for (Map.Entry<String, TreeEntry> e : new TreeMap<>(source).entrySet()) {
      TreeEntry there = target.get(e.getKey());
      if (there != null && there.sha256().equals(e.getValue().sha256())) {
        continue;
      }
      batch.put(e.getKey(), e.getValue());
      batchBytes += e.getValue().bytes();
      if (batch.size() >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
        copied += batch.size();
        copiedBytes += batchBytes;
        copy(sync, batch, context, copied, copiedBytes);
        batch.clear();
        batchBytes = 0;
      }
    }
    copied += batch.size();
    copiedBytes += batchBytes;
    copy(sync, batch, context, copied, copiedBytes);
    Map<String, TreeEntry> after =
        trees.manifest(sync.target(), sync.targetDir(), sync.excludes()).orElse(Map.of());
    List<String> mismatched = new ArrayList<>();
    source.forEach(
        (path, entry) -> {
          TreeEntry there = after.get(path);
          if (there == null || !there.sha256().equals(entry.sha256())) {
            mismatched.add(path);
          }
        });
    if (!mismatched.isEmpty()) {
      throw new IllegalStateException(
          "after the copy "
              + mismatched.size()
              + " files differ on "
              + sync.target().host()
              + ", first "
              + mismatched.get(0));
    }
    long bytes = source.values().stream().mapToLong(TreeEntry::bytes).sum();
    return new SyncReport(source.size(), bytes, copied, copiedBytes, digest(source));
  }

  /** One round trip per batch of differing files: one SSH channel per file took ~1 s each. */
  private void copy(
      CodeSync sync,
      Map<String, TreeEntry> batch,
      ActivityExecutionContext context,
      long copied,
      long copiedBytes) {
    if (batch.isEmpty()) {
      return;
    }
    trees.copy(sync.source(), sync.sourceDir(), sync.target(), sync.targetDir(), batch);
    if (context != null) {
      context.heartbeat(new Progress(copied, copiedBytes));
    }
  }

  void undo(CodeSync sync) {
    requireValid(sync);
    Optional<HostFile> recorded = files.readFile(sync.target(), beforePath(sync));
    if (recorded.isEmpty()) {
      return; // the sync never started
    }
    if (recorded.get().content().equals(ABSENT + "\n")) {
      trees.removeTree(sync.target(), sync.targetDir());
    } else {
      List<String> existed = recorded.get().content().lines().toList();
      Map<String, TreeEntry> now =
          trees.manifest(sync.target(), sync.targetDir(), List.of()).orElse(Map.of());
      List<String> added = now.keySet().stream().filter(p -> !existed.contains(p)).toList();
      trees.remove(sync.target(), sync.targetDir(), added);
    }
    files.removeFile(sync.target(), beforePath(sync));
  }

  /** Once per key: a retry must not take the first attempt's files for the target's own. */
  private void recordBefore(CodeSync sync, Optional<Map<String, TreeEntry>> before) {
    if (files.readFile(sync.target(), beforePath(sync)).isPresent()) {
      return;
    }
    String content =
        before.isEmpty()
            ? ABSENT + "\n"
            : String.join("\n", new TreeMap<>(before.get()).keySet())
                + (before.get().isEmpty() ? "" : "\n");
    files.writeFile(sync.target(), beforePath(sync), content, "0600");
  }

  /** Beside the tree, not in it: {@code /opt/.app.ferry-sync-<key>}. */
  private static String beforePath(CodeSync sync) {
    String dir =
        sync.targetDir().endsWith("/")
            ? sync.targetDir().substring(0, sync.targetDir().length() - 1)
            : sync.targetDir();
    int slash = dir.lastIndexOf('/');
    return dir.substring(0, slash + 1)
        + "."
        + dir.substring(slash + 1)
        + ".ferry-sync-"
        + Keys.safe(sync.key());
  }

  /** SHA-256 over the sorted lines {@code sha256 bytes path}: equal trees, equal digests. */
  static String digest(Map<String, TreeEntry> manifest) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, TreeEntry> e : new TreeMap<>(manifest).entrySet()) {
        md.update(
            (e.getValue().sha256() + " " + e.getValue().bytes() + " " + e.getKey() + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireValid(CodeSync sync) {
    Failures.require("source", sync.source());
    Failures.require("target", sync.target());
    Failures.require("key", sync.key());
    for (String dir : List.of(sync.sourceDir(), sync.targetDir())) {
      if (dir == null || !dir.startsWith("/") || dir.equals("/") || dir.contains("..")) {
        throw Failures.invalidInput("sync directories must be absolute and not /, was " + dir);
      }
    }
  }

  private static ActivityExecutionContext context() {
    try {
      return Activity.getExecutionContext();
    } catch (RuntimeException | Error e) {
      return null; // called outside an activity (a direct adapter test)
    }
  }
}
