package io.ferry.activities.port;

import io.ferry.plan.SshTarget;
import java.util.List;
import java.util.Map;

/** Docker on a host: logging in to a registry, building and pushing images, one-off containers. */
public interface ContainersPort {

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
      SshTarget host, String image, List<String> command, Map<String, String> env);

  /**
   * @param dockerfile relative to {@code context}
   * @param target a build stage, or null
   * @param reference {@code registry.digitalocean.com/<registry>/<repository>:<tag>}
   */
  record ImageBuildSpec(String context, String dockerfile, String target, String reference) {}

  record CommandResult(int exitCode, String outputTail) {}
}
