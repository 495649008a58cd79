package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.DeployRepositoryPort;
import io.ferry.plan.SshTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link DeployRepositoryPort} over SSH with find, tar, sha256sum and mv. Globs reach {@code find}
 * as quoted arguments, never the shell's own expansion. Moves are listed in a manifest as they
 * happen ({@code .partial} until complete), so a retry after a crash neither loses nor repeats one.
 */
public final class SshDeployRepository implements DeployRepositoryPort {

  private static final String ARROW = " -> ";

  private final SshSessions ssh;

  public SshDeployRepository(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public Tarball archive(
      SshTarget host,
      String repository,
      List<String> include,
      List<String> exclude,
      String tarball) {
    String t = quote(relative("tarball", tarball));
    String script =
        "set -e\n"
            + RemoteScript.need("tar")
            + RemoteScript.need("sha256sum")
            + cd(repository)
            + "if [ ! -f "
            + t
            + " ]; then\n"
            + "  mkdir -p -- \"$(dirname -- "
            + t
            + ")\"\n"
            + "  find . -type f "
            + anyPath(include)
            + (exclude.isEmpty() ? "" : " ! " + anyPath(exclude))
            + " | sed 's|^\\./||' | sort > "
            + t
            + ".list\n"
            + "  tar -czf "
            + t
            + ".tmp -T "
            + t
            + ".list\n"
            + "  sha256sum "
            + t
            + ".tmp | cut -d' ' -f1 > "
            + t
            + ".sha256\n"
            + "  mv -- "
            + t
            + ".tmp "
            + t
            + "\n  rm -f -- "
            + t
            + ".list\nfi\n"
            + "printf 'sha256 %s\\n' \"$(cat -- "
            + t
            + ".sha256)\"\n"
            + "printf 'files %s\\n' \"$(tar -tzf "
            + t
            + " | grep -vc '/$' || true)\"\n";
    ExecResult result = ssh.exec(host, ExecRequest.of(script));
    RemoteScript.requireInstalled(host, result, "tar", "apt-get install -y tar");
    RemoteScript.requireInstalled(host, result, "sha256sum", "apt-get install -y coreutils");
    if (!result.succeeded()) {
      throw failure(host, "archiving the legacy deployment files of " + repository, result);
    }
    String sha = field(result.stdout(), "sha256");
    int files = Integer.parseInt(field(result.stdout(), "files"));
    return new Tarball(tarball, sha, files);
  }

  @Override
  public List<String> moveAside(
      SshTarget host, String repository, List<String> patterns, String intoDir, String manifest) {
    String m = quote(relative("manifest", manifest));
    String into = quote(relative("intoDir", intoDir));
    String script =
        "set -e\n"
            + cd(repository)
            + "if [ ! -f "
            + m
            + " ]; then\n"
            + "  mkdir -p -- "
            + into
            + "\n  touch -- "
            + m
            + ".partial\n"
            + "  find . -type f "
            + anyName(patterns)
            + " ! -path "
            + quote("./" + intoDir + "/*")
            + " | sed 's|^\\./||' | while IFS= read -r f; do\n"
            + "    to="
            + into
            + "/\"${f##*/}\"\n"
            + "    if [ -e \"$to\" ]; then to=\"$to.$(date +%s%N)\"; fi\n"
            + "    printf '%s"
            + ARROW
            + "%s\\n' \"$f\" \"$to\" >> "
            + m
            + ".partial\n"
            + "    mv -- \"$f\" \"$to\"\n"
            + "  done\n"
            + "  mv -- "
            + m
            + ".partial "
            + m
            + "\nfi\ncat -- "
            + m
            + "\n";
    return lines(
        ssh.execOrFail(host, "moving obsolete files into " + intoDir, ExecRequest.of(script)));
  }

  @Override
  public List<String> moveBack(SshTarget host, String repository, String manifest) {
    String m = quote(relative("manifest", manifest));
    String script =
        "set -e\n"
            + cd(repository)
            + "for list in "
            + m
            + ".partial "
            + m
            + "; do\n"
            + "  [ -f \"$list\" ] || continue\n"
            + "  while IFS= read -r line; do\n"
            + "    from=\"${line%%"
            + ARROW
            + "*}\"; to=\"${line#*"
            + ARROW
            + "}\"\n"
            + "    if [ -e \"$to\" ] && [ ! -e \"$from\" ]; then\n"
            + "      mkdir -p -- \"$(dirname -- \"$from\")\"; mv -- \"$to\" \"$from\"; echo \"$from\"\n"
            + "    fi\n"
            + "  done < \"$list\"\n"
            + "  rm -f -- \"$list\"\n"
            + "done\n"
            // the directory the move made goes too once empty (one with other files stays)
            + "rmdir -- \"$(dirname -- "
            + m
            + ")\" 2>/dev/null || true\n";
    return lines(ssh.execOrFail(host, "moving archived files back", ExecRequest.of(script)));
  }

  @Override
  public Optional<List<String>> moved(SshTarget host, String repository, String manifest) {
    String m = quote(relative("manifest", manifest));
    String out =
        ssh.execOrFail(
            host,
            "reading " + manifest,
            ExecRequest.of(
                cd(repository)
                    + "if [ -f "
                    + m
                    + " ]; then echo present; cat -- "
                    + m
                    + "; else echo absent; fi\n"));
    if (out.startsWith("absent")) {
      return Optional.empty();
    }
    List<String> lines = lines(out);
    return Optional.of(lines.subList(1, lines.size()));
  }

  @Override
  public int rootFiles(SshTarget host, String repository) {
    String out =
        ssh.execOrFail(
            host,
            "counting the files in " + repository,
            ExecRequest.of(cd(repository) + "find . -mindepth 1 -maxdepth 1 -type f | wc -l\n"));
    return Integer.parseInt(out.strip());
  }

  @Override
  public List<String> moveInto(
      SshTarget host, String repository, List<String> globs, String intoDir) {
    String into = quote(relative("intoDir", intoDir));
    String script =
        "set -e\n"
            + cd(repository)
            + "mkdir -p -- "
            + into
            + "\nfind . -mindepth 1 -maxdepth 1 -type f "
            + anyName(globs)
            + " | sed 's|^\\./||' | while IFS= read -r f; do mv -- \"$f\" "
            + into
            + "/; echo \"$f\"; done\n";
    return lines(ssh.execOrFail(host, "archiving into " + intoDir, ExecRequest.of(script)));
  }

  @Override
  public void writeFile(SshTarget host, String repository, String relativePath, String content) {
    String p = quote(relative("path", relativePath));
    String script =
        "set -e\n" + cd(repository) + "cat > " + p + ".tmp\nmv -- " + p + ".tmp " + p + "\n";
    ssh.execOrFail(host, "writing " + relativePath, ExecRequest.of(script).withStdin(content));
  }

  private static String cd(String repository) {
    return "cd -- " + quote(absolute(repository)) + "\n";
  }

  /** {@code \( -path ./G1 -o -path ./G2 \)}, each glob one quoted argument. */
  private static String anyPath(List<String> globs) {
    return any("-path", globs.stream().map(g -> "./" + relative("glob", g)).toList());
  }

  private static String anyName(List<String> patterns) {
    return any("-name", patterns.stream().map(p -> relative("pattern", p)).toList());
  }

  private static String any(String test, List<String> values) {
    if (values.isEmpty()) {
      return "-false";
    }
    List<String> parts = new ArrayList<>();
    for (String v : values) {
      parts.add(test + " " + quote(v));
    }
    return "\\( " + String.join(" -o ", parts) + " \\)";
  }

  private static String relative(String field, String path) {
    Failures.require(field, path);
    if (path.startsWith("/")
        || path.startsWith("-")
        || path.contains("..")
        || path.indexOf('\n') >= 0) {
      throw Failures.invalidInput(field + " must be a path inside the repository, was " + path);
    }
    return path;
  }

  private static String field(String out, String name) {
    for (String line : out.split("\n")) {
      if (line.startsWith(name + " ")) {
        return line.substring(name.length() + 1).strip();
      }
    }
    throw new IllegalStateException("no " + name + " in the answer: " + out.strip());
  }

  private static List<String> lines(String out) {
    return Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static IllegalStateException failure(SshTarget host, String what, ExecResult result) {
    return new IllegalStateException(
        what
            + " on "
            + host.host()
            + " failed (exit "
            + result.exitStatus()
            + "): "
            + result.lastErrorLine());
  }
}
