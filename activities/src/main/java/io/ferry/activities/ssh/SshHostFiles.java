package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.plan.SshTarget;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link HostFilesPort} over SSH. Files are written through a temporary file in the same directory
 * and renamed over the target, so a reader sees the old or the new file, never half of one.
 */
public final class SshHostFiles implements HostFilesPort {

  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");

  private final SshSessions ssh;

  public SshHostFiles(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public Optional<HostFile> readFile(SshTarget host, String path) {
    String p = quote(absolute(path));
    String script =
        "if [ ! -e "
            + p
            + " ]; then echo absent; exit 0; fi\n"
            + "printf 'present %s\\n' \"$(stat -L -c %a -- "
            + p
            + ")\" && exec cat -- "
            + p;
    String out = ssh.execOrFail(host, "reading " + path, ExecRequest.of(script));
    int newline = out.indexOf('\n');
    String header = newline < 0 ? out : out.substring(0, newline);
    if (header.equals("absent")) {
      return Optional.empty();
    }
    if (!header.startsWith("present ")) {
      throw new IllegalStateException("unexpected answer reading " + path + ": " + header);
    }
    String mode = header.substring("present ".length()).strip();
    return Optional.of(new HostFile(out.substring(newline + 1), fourDigits(mode)));
  }

  /** The list of directories a write made, kept in the deepest of them. */
  static final String MADE_DIRS = ".ferry-made-dirs";

  @Override
  public void writeFile(SshTarget host, String path, String content, String mode) {
    String target = absolute(path);
    if (mode == null || !MODE.matcher(mode).matches()) {
      throw Failures.invalidInput("mode must be octal like 0644, was " + mode);
    }
    String directory = target.substring(0, Math.max(1, target.lastIndexOf('/')));
    String name = target.substring(target.lastIndexOf('/') + 1);
    // umask 077: the temporary file is private until it has its final mode and name
    // the directories this write makes are listed in MADE_DIRS inside the deepest, once (a retry
    // finds them made), so removing the last file put there takes them away too
    String script =
        "set -e\nmade=; d="
            + quote(directory)
            + "\nwhile [ ! -d \"$d\" ]; do made=\"$d\n$made\"; d=$(dirname -- \"$d\"); done\nmkdir -p -- "
            + quote(directory)
            + "\nif [ -n \"$made\" ] && [ ! -e "
            + quote(directory + "/" + MADE_DIRS)
            + " ]; then printf '%s' \"$made\" > "
            + quote(directory + "/" + MADE_DIRS)
            + "; fi"
            + "\numask 077\ntmp=$(mktemp -- "
            + quote(directory + "/." + name + ".ferry-XXXXXX")
            + ")\ntrap 'rm -f -- \"$tmp\"' EXIT\ncat > \"$tmp\"\nchmod "
            + quote(mode)
            + " -- \"$tmp\"\nmv -f -- \"$tmp\" "
            + quote(target)
            + "\ntrap - EXIT\n";
    ssh.execOrFail(host, "writing " + target, ExecRequest.of(script).withStdin(content));
  }

  @Override
  public boolean removeFile(SshTarget host, String path) {
    String p = quote(absolute(path));
    String script =
        "if [ -e "
            + p
            + " ] || [ -L "
            + p
            + " ]; then rm -f -- "
            + p
            + " && echo removed;"
            + " else echo absent; fi\n"
            // the directory and its parents this adapter made, once nothing else is left in them
            + "dir=$(dirname -- "
            + p
            + ")\nif [ -f \"$dir/"
            + MADE_DIRS
            + "\" ] && [ -z \"$(ls -A -- \"$dir\" | grep -vxF "
            + MADE_DIRS
            + ")\" ]; then\n"
            + "  made=$(cat -- \"$dir/"
            + MADE_DIRS
            + "\"); rm -f -- \"$dir/"
            + MADE_DIRS
            + "\"\n"
            + "  printf '%s\\n' \"$made\" | sort -r | while IFS= read -r d; do"
            + " if [ -n \"$d\" ]; then rmdir -- \"$d\" 2>/dev/null || break; fi; done\nfi";
    return ssh.execOrFail(host, "removing " + path, ExecRequest.of(script))
        .strip()
        .equals("removed");
  }

  private static String fourDigits(String mode) {
    return mode.length() >= 4 ? mode : "0".repeat(4 - mode.length()) + mode;
  }
}
