package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Optional;

/**
 * Files, systemd services and Docker Compose projects on a host (over SSH in the real adapter,
 * which always verifies the host key). A compose project lives in {@code directory/compose.yaml}.
 */
public interface HostPort {

  Optional<HostFile> readFile(SshTarget host, String path);

  /** Writes the whole file atomically (temp file + rename) with the given octal mode. */
  void writeFile(SshTarget host, String path, String content, String mode);

  /** Removes the file; returns false when it was not there. */
  boolean removeFile(SshTarget host, String path);

  void restartService(SshTarget host, String service);

  /** Brings the project up ({@code docker compose up -d}); returns the running services. */
  List<String> composeUp(SshTarget host, String directory, String project);

  /** The running services of the project, or empty when it is not up. */
  Optional<List<String>> composeServices(SshTarget host, String directory, String project);

  void composeDown(SshTarget host, String directory, String project);

  /**
   * {@code docker login <server> --username <user> --password-stdin}, the token written to the
   * command's stdin, never on a command line, in an environment variable or in shell history.
   * Idempotent (docker keeps the credential in the user's docker config). A rejected login throws a
   * non-retryable {@code AuthenticationFailed}; the token never appears in messages.
   */
  void registryLogin(SshTarget host, String server, String user, String token);

  /**
   * {@code docker build} then {@code docker push} of one image: {@code --file
   * <context>/<dockerfile>}, {@code --target} when given, tagged {@code reference}; every value is
   * shell-quoted. Repeating it rebuilds (cached) and pushes the same tag again. Needs {@link
   * #registryLogin} first (a refused push throws {@code AuthenticationFailed}); a failed build
   * throws with the last lines of its output (non-retryable {@code PreconditionFailed}).
   *
   * @return the pushed manifest digest, {@code sha256:...}, as {@code docker push} reports it
   */
  String buildAndPush(SshTarget host, ImageBuildSpec build);

  /**
   * Runs a command once in a new container: {@code docker run --rm --env-file <file> <image>
   * <command...>}, the env file written 0600 for the call and removed after (values never on a
   * command line). Not idempotent: the command itself must be (database migrations are).
   *
   * @return the exit code and the last 4 KiB of its output
   */
  CommandResult runContainer(
      SshTarget host, String image, List<String> command, java.util.Map<String, String> env);

  /**
   * Copies the journal of the units since {@code since} ({@code journalctl -u U1 -u U2 --since
   * <ISO> -o short-iso}) gzip-compressed from the host to {@code localPath} on the worker (temp
   * file + rename; an existing file is replaced, so a retry writes it whole).
   */
  LocalFile exportJournal(
      SshTarget host, List<String> units, java.time.Instant since, String localPath);

  /**
   * {@code pg_dump --format=custom} of the database into {@code path} on the host (temp + rename),
   * the password given through a 0600 PGPASSFILE removed after, never on a command line; {@code
   * sslmode} from the target. An existing complete dump at {@code path} is kept and reported.
   *
   * @return the dump's size and sha256 as the host computes them
   */
  LocalFile pgDump(
      SshTarget host, io.ferry.plan.PostgresTarget database, String password, String path);

  record HostFile(String content, String mode) {}

  /**
   * @param dockerfile relative to {@code context}
   * @param target a build stage, or null
   * @param reference {@code registry.digitalocean.com/<registry>/<repository>:<tag>}
   */
  record ImageBuildSpec(String context, String dockerfile, String target, String reference) {}

  record CommandResult(int exitCode, String outputTail) {}

  /** A file written by a host call: where, how big, its sha256 (hex). */
  record LocalFile(String path, long bytes, String sha256) {}
}
