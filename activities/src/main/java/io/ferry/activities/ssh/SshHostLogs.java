package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.RemoteScript.need;
import static io.ferry.activities.ssh.RemoteScript.requireInstalled;

import io.ferry.activities.Failures;
import io.ferry.activities.port.HostLogsPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.plan.SshTarget;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link HostLogsPort} over SSH: {@code journalctl} on the host piped through gzip and streamed to
 * a file on the worker, counted and hashed on the way.
 */
public final class SshHostLogs implements HostLogsPort {

  private static final Duration JOURNAL_TIMEOUT = Duration.ofMinutes(30);
  private static final DateTimeFormatter JOURNAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final SshSessions ssh;

  public SshHostLogs(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public WrittenFile exportJournal(
      SshTarget host, List<String> units, Instant since, String localPath) {
    Failures.require("units", units);
    if (units.isEmpty()) {
      throw Failures.invalidInput("units must name at least one systemd unit");
    }
    List<String> words = new ArrayList<>(List.of("journalctl"));
    for (String unit : units) {
      words.add("-u");
      words.add(RemoteScript.unitName("unit", unit));
    }
    words.addAll(
        List.of(
            "--since",
            JOURNAL_TIME.format(Failures.require("since", since)),
            "-o",
            "short-iso",
            "--no-pager"));
    Path target = Path.of(absolute(localPath));
    // the journal's status is lost in the pipe: say it on stderr
    String script =
        need("journalctl")
            + need("gzip")
            + "{ "
            + Shell.words(words)
            + " || echo \"ferry-failed: journalctl exited $?\" >&2; } | gzip -c\n";
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      ExecResult result;
      long bytes;
      try (OutputStream file = Files.newOutputStream(temp);
          CountingOutputStream counted =
              new CountingOutputStream(new DigestOutputStream(file, sha256))) {
        result =
            ssh.execStreaming(
                host,
                ExecRequest.of(script)
                    .withTimeout(JOURNAL_TIMEOUT)
                    .withProgress(ExecProgress.activityHeartbeat()),
                counted);
        bytes = counted.count;
      }
      requireInstalled(host, result, "journalctl", "run it on a host with systemd");
      requireInstalled(host, result, "gzip", "install gzip");
      if (!result.succeeded() || result.stderr().contains("ferry-failed: ")) {
        throw new IllegalStateException(
            "exporting the journal of "
                + String.join(", ", units)
                + " from "
                + host.host()
                + " failed: "
                + journalError(result.stderr()));
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      return new WrittenFile(target.toString(), bytes, HexFormat.of().formatHex(sha256.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("writing the journal of " + host.host() + " to " + target, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: a temporary file of a failed attempt
        }
      }
    }
  }

  private static String journalError(String stderr) {
    for (String line : stderr.split("\n")) {
      if (line.startsWith("ferry-failed: ")) {
        String before = stderr.substring(0, stderr.indexOf(line)).strip();
        String[] previous = before.split("\n");
        String last = previous[previous.length - 1].strip();
        return line.substring("ferry-failed: ".length()) + (last.isEmpty() ? "" : ": " + last);
      }
    }
    return new ExecResult(1, "", stderr).lastErrorLine();
  }

  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }
  }
}
