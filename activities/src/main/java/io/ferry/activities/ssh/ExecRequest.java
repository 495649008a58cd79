package io.ferry.activities.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A command for {@link SshSessions#exec}: a POSIX shell script (build every plan value into it with
 * {@link Shell#quote}), what to send on its standard input (then end of file), how long it may run,
 * and whom to tell while it runs (for heartbeats).
 *
 * @param script run by {@code sh -c}, through {@code sudo -n} when the target asks for sudo
 * @param stdin bytes sent to the command's standard input, or null for none (secrets go here)
 * @param timeout the command is killed and {@link SshTimeoutException} thrown after this
 * @param progress called on the caller's thread about once a {@link SshSessions#PROGRESS_INTERVAL}
 */
public record ExecRequest(String script, byte[] stdin, Duration timeout, ExecProgress progress) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public ExecRequest {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    progress = progress == null ? ExecProgress.NONE : progress;
  }

  public static ExecRequest of(String script) {
    return new ExecRequest(script, null, null, null);
  }

  public ExecRequest withStdin(String text) {
    return new ExecRequest(script, text.getBytes(StandardCharsets.UTF_8), timeout, progress);
  }

  public ExecRequest withStdin(byte[] bytes) {
    return new ExecRequest(script, bytes, timeout, progress);
  }

  public ExecRequest withTimeout(Duration newTimeout) {
    return new ExecRequest(script, stdin, newTimeout, progress);
  }

  public ExecRequest withProgress(ExecProgress newProgress) {
    return new ExecRequest(script, stdin, timeout, newProgress);
  }

  @Override
  public String toString() {
    // stdin may hold a secret: never print it
    return "ExecRequest[script="
        + script
        + ", stdin="
        + (stdin == null ? "none" : "<" + stdin.length + " bytes>")
        + ", timeout="
        + timeout
        + "]";
  }
}
