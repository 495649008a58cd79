package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.FileTreePort;
import io.ferry.plan.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@link FileTreePort} over SSH: manifests from {@code find} and {@code sha256sum} on the host,
 * writes through the shell's stdin (so {@code sudo} applies), reads and worker copies over SFTP.
 */
public final class SshFileTrees implements FileTreePort {

  private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
  private static final String ABSENT = "ferry-absent";
  private static final String SEPARATOR = "ferry-hashes";

  private final SshSessions ssh;

  public SshFileTrees(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public Optional<Map<String, TreeEntry>> manifest(
      SshTarget host, String dir, List<String> excludes) {
    String find = "find . " + prune(excludes) + "-type f";
    String script =
        "[ -d "
            + quote(absolute(dir))
            + " ] || { echo "
            + ABSENT
            + "; exit 0; }\ncd -- "
            + quote(dir)
            + "\n"
            + find
            + " -printf '%s %m %P\\n'\necho "
            + SEPARATOR
            + "\n"
            + find
            + " -print0 | xargs -0 -r sha256sum --\n";
    String out = ssh.execOrFail(host, "listing " + dir, ExecRequest.of(script));
    if (out.strip().equals(ABSENT)) {
      return Optional.empty();
    }
    Map<String, long[]> sizes = new HashMap<>();
    Map<String, String> modes = new HashMap<>();
    Map<String, TreeEntry> entries = new TreeMap<>();
    boolean hashes = false;
    for (String line : out.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.equals(SEPARATOR)) {
        hashes = true;
        continue;
      }
      if (!hashes) {
        String[] f = line.split(" ", 3);
        sizes.put(f[2], new long[] {Long.parseLong(f[0])});
        modes.put(f[2], f[1]);
      } else {
        if (line.startsWith("\\")) {
          throw Failures.invalidInput(
              "a file name under " + dir + " on " + host.host() + " holds a line break or '\\'");
        }
        String hash = line.substring(0, 64);
        String path = line.substring(66);
        path = path.startsWith("./") ? path.substring(2) : path;
        long[] size = sizes.get(path);
        if (size == null) {
          throw new IllegalStateException(
              "the tree under " + dir + " changed while listing: " + path);
        }
        entries.put(path, new TreeEntry(size[0], hash, modes.get(path)));
      }
    }
    return Optional.of(entries);
  }

  @Override
  public byte[] read(SshTarget host, String path) {
    return ssh.download(host, absolute(path))
        .orElseThrow(() -> Failures.notFound(path + " does not exist on " + host.host()));
  }

  @Override
  public void write(SshTarget host, String path, byte[] content, String mode) {
    String target = absolute(path);
    if (mode == null || !MODE.matcher(mode).matches()) {
      throw Failures.invalidInput("mode must be octal like 644, was " + mode);
    }
    String directory = target.substring(0, Math.max(1, target.lastIndexOf('/')));
    String name = target.substring(target.lastIndexOf('/') + 1);
    String script =
        "set -e\nmkdir -p -- "
            + quote(directory)
            + "\numask 077\ntmp=$(mktemp -- "
            + quote(directory + "/." + name + ".ferry-XXXXXX")
            + ")\ntrap 'rm -f -- \"$tmp\"' EXIT\ncat > \"$tmp\"\nchmod "
            + quote(mode)
            + " -- \"$tmp\"\nmv -f -- \"$tmp\" "
            + quote(target)
            + "\ntrap - EXIT\n";
    ssh.execOrFail(host, "writing " + target, ExecRequest.of(script).withStdin(content));
  }

  /**
   * One tar stream per batch: {@code tar -c} on the source (names on stdin, NUL-separated, so none
   * meets a shell or is taken for an option), {@code tar -x} on the target (modes kept, owned by
   * the login user). The worker holds one batch; the callers keep batches small.
   */
  @Override
  public void copy(
      SshTarget from, String fromDir, SshTarget to, String toDir, Map<String, TreeEntry> files) {
    if (files.isEmpty()) {
      return;
    }
    StringBuilder names = new StringBuilder();
    for (String path : files.keySet()) {
      if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
        throw Failures.invalidInput("not a path inside the tree: " + path);
      }
      names.append(path).append('\0');
    }
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    ExecResult packed =
        ssh.execStreaming(
            from,
            ExecRequest.of(
                    "cd -- "
                        + quote(absolute(fromDir))
                        + " && tar -cf - --null --verbatim-files-from -T -")
                .withStdin(names.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .withTimeout(java.time.Duration.ofMinutes(30)),
            tar);
    if (!packed.succeeded()) {
      throw new IllegalStateException(
          "tar -c of "
              + files.size()
              + " files in "
              + fromDir
              + " on "
              + from.host()
              + " failed: "
              + packed.lastErrorLine());
    }
    String target = quote(absolute(toDir));
    ssh.execOrFail(
        to,
        "unpacking " + files.size() + " files into " + toDir,
        ExecRequest.of(
                "mkdir -p -- "
                    + target
                    + " && cd -- "
                    + target
                    + " && tar -xf - --no-same-owner --preserve-permissions")
            .withStdin(tar.toByteArray())
            .withTimeout(java.time.Duration.ofMinutes(30)));
  }

  @Override
  public void remove(SshTarget host, String dir, List<String> relativePaths) {
    if (relativePaths.isEmpty()) {
      return;
    }
    String root = absolute(dir);
    StringBuilder script = new StringBuilder("cd -- " + quote(root) + " || exit 0\n");
    for (String rel : relativePaths) {
      if (rel.startsWith("/") || List.of(rel.split("/")).contains("..")) {
        throw Failures.invalidInput("not a path inside " + dir + ": " + rel);
      }
      script.append("rm -f -- ").append(quote(rel)).append('\n');
      String parent = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : null;
      if (parent != null) {
        script.append("rmdir -p -- ").append(quote(parent)).append(" 2>/dev/null || true\n");
      }
    }
    ssh.execOrFail(host, "removing files under " + dir, ExecRequest.of(script.toString()));
  }

  @Override
  public boolean removeTree(SshTarget host, String dir) {
    String root = absolute(dir);
    if (root.chars().filter(c -> c == '/').count() < 2 && !root.startsWith("/opt/")) {
      throw Failures.invalidInput("refusing to remove a top-level directory: " + dir);
    }
    String out =
        ssh.execOrFail(
            host,
            "removing " + dir,
            ExecRequest.of(
                "if [ -d "
                    + quote(root)
                    + " ]; then rm -rf -- "
                    + quote(root)
                    + "; echo removed; fi"));
    return out.contains("removed");
  }

  @Override
  public StoredFile archive(SshTarget host, String dir, List<String> excludes, String archive) {
    String target = absolute(archive);
    String root = absolute(dir);
    String parent = root.substring(0, Math.max(1, root.lastIndexOf('/')));
    String base = root.substring(root.lastIndexOf('/') + 1);
    StringBuilder ex = new StringBuilder();
    for (String e : excludes) {
      ex.append(" --exclude=").append(quote(name(e)));
    }
    String script =
        "set -e\n"
            + RemoteScript.need("tar")
            + "if [ ! -f "
            + quote(target)
            + " ]; then\n  mkdir -p -- "
            + quote(target.substring(0, target.lastIndexOf('/')))
            + "\n  umask 077\n  tar -czf "
            + quote(target + ".part")
            + ex
            + " -C "
            + quote(parent)
            + " -- "
            + quote(base)
            + "\n  mv -f -- "
            + quote(target + ".part")
            + " "
            + quote(target)
            + "\nfi\nstat -c %s -- "
            + quote(target)
            + "\nsha256sum < "
            + quote(target)
            + "\n";
    ExecResult result =
        ssh.exec(host, ExecRequest.of(script).withTimeout(java.time.Duration.ofHours(2)));
    RemoteScript.requireInstalled(host, result, "tar", "apt-get install -y tar");
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "archiving " + dir + " on " + host.host() + " failed: " + result.lastErrorLine());
    }
    String[] lines = result.stdout().strip().split("\n");
    return new StoredFile(target, Long.parseLong(lines[0].strip()), lines[1].substring(0, 64));
  }

  /**
   * Streams the file to the worker (never whole in memory) through a {@code .part} file beside the
   * target, which a retried copy continues; the finished copy is moved into place.
   */
  @Override
  public StoredFile download(SshTarget host, String path, String localPath) {
    Path local = Path.of(absolute(localPath));
    Path partial = local.resolveSibling(local.getFileName() + ".part");
    try {
      Files.createDirectories(local.getParent());
      if (!ssh.downloadTo(host, absolute(path), partial)) {
        throw Failures.notFound(path + " does not exist on " + host.host());
      }
      long bytes = Files.size(partial);
      String sha256 = sha256(partial);
      Files.move(
          partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new StoredFile(local.toString(), bytes, sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + local + " on the worker", e);
    }
  }

  /** The SHA-256 of a worker's file, read in chunks. */
  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DigestInputStream digest =
            new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      digest.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public StoredFile upload(String localPath, SshTarget host, String path, String mode) {
    Path local = Path.of(absolute(localPath));
    if (!Files.isRegularFile(local)) {
      throw Failures.notFound(localPath + " does not exist on the worker");
    }
    String target = absolute(path);
    ssh.execOrFail(
        host,
        "making " + target,
        ExecRequest.of(
            "mkdir -p -- " + quote(target.substring(0, Math.max(1, target.lastIndexOf('/'))))));
    try (InputStream in = Files.newInputStream(local);
        DigestInputStream digest =
            new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      ssh.upload(host, target, digest, Integer.parseInt(mode, 8));
      return new StoredFile(
          target, Files.size(local), HexFormat.of().formatHex(digest.getMessageDigest().digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + local + " on the worker", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void extractMember(SshTarget host, String tarball, String member, String destination) {
    String target = absolute(destination);
    String script =
        "set -e\n"
            + RemoteScript.need("tar")
            + "tar -xzOf "
            + quote(absolute(tarball))
            + " -- "
            + quote(RemoteScript.option("member", member))
            + " > "
            + quote(target + ".ferry-new")
            + "\nchmod 755 -- "
            + quote(target + ".ferry-new")
            + "\nmv -f -- "
            + quote(target + ".ferry-new")
            + " "
            + quote(target)
            + "\n";
    ExecResult result = ssh.exec(host, ExecRequest.of(script));
    RemoteScript.requireInstalled(host, result, "tar", "apt-get install -y tar");
    if (!result.succeeded()) {
      throw Failures.precondition(
          "unpacking "
              + member
              + " from "
              + tarball
              + " on "
              + host.host()
              + " failed: "
              + result.lastErrorLine());
    }
  }

  private static String prune(List<String> excludes) {
    if (excludes.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("\\( ");
    for (int i = 0; i < excludes.size(); i++) {
      b.append(i == 0 ? "" : "-o ")
          .append("-name ")
          .append(quote(name(excludes.get(i))))
          .append(' ');
    }
    return b.append("\\) -prune -o ").toString();
  }

  private static String name(String exclude) {
    if (exclude == null || !NAME.matcher(exclude).matches()) {
      throw Failures.invalidInput(
          "an exclude must be a plain file or directory name, was " + exclude);
    }
    return exclude;
  }

  private static String absolute(String path) {
    Failures.require("path", path);
    if (!path.startsWith("/")
        || path.indexOf('\n') >= 0
        || List.of(path.split("/")).contains("..")) {
      throw Failures.invalidInput("path must be absolute without '..', was " + path);
    }
    return path;
  }
}
