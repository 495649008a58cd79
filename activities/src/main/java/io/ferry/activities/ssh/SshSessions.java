package io.ferry.activities.ssh;

import io.ferry.activities.Failures;
import io.ferry.activities.SecretResolver;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Response.StatusCode;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * Commands and files on hosts over SSH, for any adapter that needs a host: one verified,
 * authenticated connection per target, kept open and re-opened when it has dropped.
 *
 * <p>Before anything runs, the server's host key is checked against the target ({@link
 * HostKeyCheck}); a mismatch is a non-retryable {@code HostKeyMismatch}, a refused client key a
 * non-retryable {@code AuthenticationFailed}. A refused or broken connection is an ordinary
 * (retryable) exception. Commands run as {@code sh -c SCRIPT}, or {@code sudo -n sh -c SCRIPT} when
 * the target asks for sudo; SFTP always acts as the login user.
 */
public final class SshSessions implements AutoCloseable {

  /** How often {@link ExecProgress} hears from a running command. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

  /** The most a command may write to stdout or to stderr that is kept. */
  static final int MAX_OUTPUT_BYTES = 64 << 20;

  private static final int SFTP_CHUNK_BYTES = 32 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 15_000;
  private static final int KEEP_ALIVE_SECONDS = 30;

  private final SecretResolver secrets;
  private final Map<SshTarget, SSHClient> clients = new ConcurrentHashMap<>();

  public SshSessions(SecretResolver secrets) {
    this.secrets = secrets;
  }

  /** Runs the script and returns how it ended, whatever its exit status. */
  public ExecResult exec(SshTarget target, ExecRequest request) {
    return exec(target, request, null);
  }

  /**
   * Runs the script, writing its stdout to {@code sink} as it arrives (binary safe, any size)
   * instead of keeping it: the result's stdout is empty. The sink is not closed.
   */
  public ExecResult execStreaming(SshTarget target, ExecRequest request, OutputStream sink) {
    return exec(target, request, Objects.requireNonNull(sink, "sink"));
  }

  private ExecResult exec(SshTarget target, ExecRequest request, OutputStream stdoutSink) {
    Failures.require("script", request.script());
    String command = commandLine(target, request.script());
    try (Session session = openSession(target);
        Session.Command cmd = session.exec(command)) {
      OutputPump out =
          new OutputPump(cmd.getInputStream(), "ssh-stdout " + target.host(), stdoutSink);
      OutputPump err = new OutputPump(cmd.getErrorStream(), "ssh-stderr " + target.host(), null);
      out.start();
      err.start();
      try (OutputStream stdin = cmd.getOutputStream()) {
        if (request.stdin() != null) {
          stdin.write(request.stdin());
          stdin.flush();
        }
      } // closing sends EOF: a command reading stdin ends its input here
      long started = System.nanoTime();
      long deadline = started + request.timeout().toNanos();
      while (out.isAlive() || err.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          cmd.close();
          throw new SshTimeoutException(
              "command on "
                  + target.host()
                  + " still running after "
                  + request.timeout()
                  + ", killed");
        }
        out.join(Math.max(1, Math.min(PROGRESS_INTERVAL.toMillis(), left / 1_000_000)));
        err.join(1);
        String line = err.lastLine().isEmpty() ? out.lastLine() : newer(out, err);
        request.progress().progress(Duration.ofNanos(System.nanoTime() - started), line);
      }
      cmd.join(10, TimeUnit.SECONDS);
      Integer status = cmd.getExitStatus();
      String stderr = err.text();
      if (status == null) {
        stderr += "\n(ended by signal " + cmd.getExitSignal() + ")";
      }
      return new ExecResult(status == null ? -1 : status, out.text(), stderr);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running a command on " + target.host(), e);
    } catch (IOException e) {
      forget(target);
      throw new UncheckedIOException(
          "ssh " + target.user() + "@" + target.host() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs the script and returns its stdout; a non-zero exit is a retryable failure naming {@code
   * what} and the last line of stderr.
   */
  public String execOrFail(SshTarget target, String what, ExecRequest request) {
    ExecResult result = exec(target, request);
    if (!result.succeeded()) {
      throw new IllegalStateException(
          what
              + " on "
              + target.host()
              + " failed (exit "
              + result.exitStatus()
              + "): "
              + result.lastErrorLine());
    }
    return result.stdout();
  }

  /** Writes {@code content} to {@code path} over SFTP (as the login user) and sets its mode. */
  public void upload(SshTarget target, String path, InputStream content, int mode) {
    try (SFTPClient sftp = sftp(target)) {
      try (RemoteFile file =
              sftp.open(
                  path,
                  EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC),
                  new FileAttributes.Builder().withPermissions(mode).build());
          OutputStream stream = file.new RemoteFileOutputStream(0, 16)) {
        // sshj sends a write as one SFTP packet; servers refuse large ones (OpenSSH: 256 KiB)
        byte[] chunk = new byte[SFTP_CHUNK_BYTES];
        for (int n; (n = content.read(chunk)) > 0; ) {
          stream.write(chunk, 0, n);
        }
      }
      sftp.chmod(path, mode);
    } catch (SFTPException e) {
      throw sftpFailure(target, "write " + path, e);
    } catch (IOException e) {
      forget(target);
      throw new UncheckedIOException("sftp write " + path + " on " + target.host(), e);
    }
  }

  /** The bytes of {@code path} over SFTP, or empty when there is no such file. */
  public Optional<byte[]> download(SshTarget target, String path) {
    try (SFTPClient sftp = sftp(target)) {
      try (RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ));
          InputStream stream = file.new RemoteFileInputStream()) {
        return Optional.of(stream.readAllBytes());
      }
    } catch (SFTPException e) {
      if (e.getStatusCode() == StatusCode.NO_SUCH_FILE) {
        return Optional.empty();
      }
      throw sftpFailure(target, "read " + path, e);
    } catch (IOException e) {
      forget(target);
      throw new UncheckedIOException("sftp read " + path + " on " + target.host(), e);
    }
  }

  /**
   * Copies {@code path} over SFTP into {@code local}, streaming, and continues after the bytes
   * {@code local} already holds (a copy an earlier attempt left unfinished); a {@code local} longer
   * than the remote file is started again. False when there is no such remote file.
   */
  public boolean downloadTo(SshTarget target, String path, java.nio.file.Path local) {
    try (SFTPClient sftp = sftp(target)) {
      try (RemoteFile file = sftp.open(path, EnumSet.of(OpenMode.READ))) {
        long remoteBytes = file.length();
        long have = java.nio.file.Files.exists(local) ? java.nio.file.Files.size(local) : 0;
        if (have > remoteBytes) {
          have = 0;
        }
        try (InputStream in = file.new RemoteFileInputStream(have);
            OutputStream out =
                java.nio.file.Files.newOutputStream(
                    local,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE,
                    have == 0
                        ? java.nio.file.StandardOpenOption.TRUNCATE_EXISTING
                        : java.nio.file.StandardOpenOption.APPEND)) {
          in.transferTo(out);
        }
        return true;
      }
    } catch (SFTPException e) {
      if (e.getStatusCode() == StatusCode.NO_SUCH_FILE) {
        return false;
      }
      throw sftpFailure(target, "read " + path, e);
    } catch (IOException e) {
      forget(target);
      throw new UncheckedIOException("sftp read " + path + " on " + target.host(), e);
    }
  }

  @Override
  public void close() {
    clients.keySet().forEach(this::forget);
  }

  /** {@code sh -c 'script'}, through {@code sudo -n} (never prompting) when the target says so. */
  static String commandLine(SshTarget target, String script) {
    String shell = "sh -c " + Shell.quote(script);
    return Boolean.TRUE.equals(target.sudo()) ? "sudo -n " + shell : shell;
  }

  private SFTPClient sftp(SshTarget target) throws IOException {
    try {
      return client(target).newSFTPClient();
    } catch (ConnectionException | TransportException | IllegalStateException e) {
      // dropped since last use (sshj says "Not connected" when the drop races the check): once
      forget(target);
      return client(target).newSFTPClient();
    }
  }

  private Session openSession(SshTarget target) throws IOException {
    try {
      return client(target).startSession();
    } catch (ConnectionException | TransportException | IllegalStateException e) {
      // dropped since last use (sshj says "Not connected" when the drop races the check): once
      forget(target);
      return client(target).startSession();
    }
  }

  private SSHClient client(SshTarget target) {
    Failures.require("host", target.host());
    Failures.require("privateKey", target.privateKey());
    SSHClient cached = clients.get(target);
    if (cached != null && cached.isConnected() && cached.isAuthenticated()) {
      return cached;
    }
    synchronized (this) {
      cached = clients.get(target);
      if (cached != null && cached.isConnected() && cached.isAuthenticated()) {
        return cached;
      }
      forget(target);
      SSHClient fresh = connect(target);
      clients.put(target, fresh);
      return fresh;
    }
  }

  private SSHClient connect(SshTarget target) {
    HostKeyCheck hostKey = HostKeyCheck.forTarget(target, secrets);
    String privateKey = secrets.resolve(target.privateKey());
    DefaultConfig config = new DefaultConfig();
    config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    SSHClient client = new SSHClient(config);
    try {
      KeyProvider keys;
      try {
        keys = client.loadKeys(privateKey, null, null);
        keys.getPublic(); // parse now: a bad key is bad input, not a failed login
      } catch (IOException | RuntimeException e) {
        throw Failures.invalidInput(
            "privateKey "
                + target.privateKey()
                + " is not a private key without passphrase in OpenSSH or PEM form ("
                + e.getClass().getSimpleName()
                + ")");
      }
      client.addHostKeyVerifier(hostKey);
      client.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
      try {
        client.connect(target.host(), target.port());
      } catch (TransportException e) {
        if (e.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
          throw ApplicationFailure.newNonRetryableFailure(
              "host key of "
                  + target.host()
                  + ":"
                  + target.port()
                  + " is "
                  + hostKey.presented()
                  + ", which does not match "
                  + hostKey.expected()
                  + "; refusing to connect (nothing was run). If the host was rebuilt, verify"
                  + " its new key and update the plan",
              FailureTypes.HOST_KEY_MISMATCH);
        }
        throw e;
      }
      client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
      try {
        client.authPublickey(target.user(), keys);
      } catch (UserAuthException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "ssh "
                + target.user()
                + "@"
                + target.host()
                + ": the key from "
                + target.privateKey()
                + " was refused; add its public key to ~"
                + target.user()
                + "/.ssh/authorized_keys there",
            FailureTypes.AUTH);
      }
      return client;
    } catch (IOException e) {
      closeQuietly(client);
      throw new UncheckedIOException(
          "ssh: connect to host "
              + target.host()
              + " port "
              + target.port()
              + ": "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw e;
    }
  }

  private RuntimeException sftpFailure(SshTarget target, String what, SFTPException e) {
    if (e.getStatusCode() == StatusCode.PERMISSION_DENIED) {
      return Failures.precondition(
          "sftp " + what + " on " + target.host() + ": permission denied for " + target.user());
    }
    return new UncheckedIOException("sftp " + what + " on " + target.host(), e);
  }

  private void forget(SshTarget target) {
    SSHClient client = clients.remove(target);
    if (client != null) {
      closeQuietly(client);
    }
  }

  private static void closeQuietly(SSHClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static String newer(OutputPump out, OutputPump err) {
    return out.lastLineAt() >= err.lastLineAt() ? out.lastLine() : err.lastLine();
  }
}
