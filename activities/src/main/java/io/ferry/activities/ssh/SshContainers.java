package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.RemoteScript.need;
import static io.ferry.activities.ssh.RemoteScript.option;
import static io.ferry.activities.ssh.RemoteScript.requireInstalled;
import static io.ferry.activities.ssh.Shell.quote;

import io.ferry.activities.Failures;
import io.ferry.activities.port.ContainersPort;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ContainersPort} over SSH: the host's {@code docker}. Secrets (the registry token, the
 * container's environment) travel on the command's stdin, never on a command line.
 */
public final class SshContainers implements ContainersPort {

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(60);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PUSHED_DIGEST =
      Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");
  private static final int OUTPUT_TAIL_BYTES = 4096;
  private static final String DOCKER_INSTALL =
      "install Docker Engine (https://docs.docker.com/engine/install/) and let the SSH user use it";

  private final SshSessions ssh;

  public SshContainers(SshSessions ssh) {
    this.ssh = ssh;
  }

  @Override
  public void registryLogin(SshTarget host, String server, String user, String token) {
    option("server", server);
    option("user", user);
    Failures.require("token", token);
    String script =
        need("docker")
            + "exec "
            + Shell.words("docker", "login", "--username", user, "--password-stdin", server);
    ExecResult result = ssh.exec(host, ExecRequest.of(script).withStdin(token));
    requireInstalled(host, result, "docker", DOCKER_INSTALL);
    if (result.succeeded()) {
      return;
    }
    String why = RemoteScript.masked(result.lastErrorLine(), token);
    if (refused(why)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "docker login " + server + " as " + user + " on " + host.host() + " was refused: " + why,
          FailureTypes.AUTH);
    }
    throw new IllegalStateException(
        "docker login "
            + server
            + " on "
            + host.host()
            + " failed (exit "
            + result.exitStatus()
            + "): "
            + why);
  }

  @Override
  public String buildAndPush(SshTarget host, ImageBuildSpec build) {
    Failures.require("build", build);
    String context = absolute(Failures.require("context", build.context()));
    String dockerfile = Failures.require("dockerfile", build.dockerfile());
    if (dockerfile.startsWith("/") || List.of(dockerfile.split("/")).contains("..")) {
      throw Failures.invalidInput(
          "dockerfile must be a path inside the context " + context + ", was " + dockerfile);
    }
    String reference = option("reference", build.reference());
    List<String> buildWords =
        new ArrayList<>(List.of("docker", "build", "--file", joined(context, dockerfile)));
    if (build.target() != null && !build.target().isBlank()) {
      buildWords.addAll(List.of("--target", option("target", build.target())));
    }
    buildWords.addAll(List.of("--tag", reference, context));
    // build output (BuildKit writes to stderr, the classic builder to stdout) all on stderr
    String script =
        need("docker")
            + "if [ ! -d "
            + quote(context)
            + " ]; then echo \"no such directory: \""
            + quote(context)
            + " >&2; exit 66; fi\n"
            + Shell.words(buildWords)
            + " 1>&2 || exit 65\n"
            + "exec "
            + Shell.words("docker", "push", reference);
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script)
                .withTimeout(BUILD_TIMEOUT)
                .withProgress(ExecProgress.activityHeartbeat()));
    requireInstalled(host, result, "docker", DOCKER_INSTALL);
    if (result.exitStatus() == 66) {
      throw Failures.notFound("build context " + context + " does not exist on " + host.host());
    }
    if (result.exitStatus() == 65) {
      throw Failures.precondition(
          "docker build of "
              + reference
              + " on "
              + host.host()
              + " failed:\n"
              + RemoteScript.lastLines(result.stderr(), 10));
    }
    if (!result.succeeded()) {
      String why = result.lastErrorLine();
      if (refused(why)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "docker push of "
                + reference
                + " from "
                + host.host()
                + " was refused (log in to the registry first): "
                + why,
            FailureTypes.AUTH);
      }
      throw new IllegalStateException(
          "docker push of " + reference + " from " + host.host() + " failed: " + why);
    }
    Matcher pushed = PUSHED_DIGEST.matcher(result.stdout());
    String digest = null;
    while (pushed.find()) {
      digest = pushed.group(1);
    }
    return digest != null ? digest : repoDigest(host, reference);
  }

  /** The digest docker recorded for the pushed repository when the push output did not say. */
  private String repoDigest(SshTarget host, String reference) {
    String out =
        ssh.execOrFail(
            host,
            "docker image inspect " + reference,
            ExecRequest.of(
                Shell.words(
                    "docker",
                    "image",
                    "inspect",
                    "--format",
                    "{{range .RepoDigests}}{{println .}}{{end}}",
                    reference)));
    String repository = repository(reference);
    for (String line : out.split("\n")) {
      String entry = line.strip();
      if (entry.startsWith(repository + "@sha256:")) {
        return entry.substring(repository.length() + 1);
      }
    }
    throw new IllegalStateException(
        "docker push of "
            + reference
            + " printed no digest and the image has none for "
            + repository);
  }

  @Override
  public CommandResult runContainer(
      SshTarget host, String image, List<String> command, Map<String, String> env) {
    option("image", image);
    Failures.require("command", command);
    StringBuilder envFile = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(env == null ? Map.of() : env).entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw Failures.invalidInput("env name must be letters, digits or '_', was " + e.getKey());
      }
      String value = e.getValue();
      if (value == null) {
        throw Failures.invalidInput("env " + e.getKey() + " has no value");
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
        // a docker env file has one variable a line
        throw Failures.invalidInput(
            "env " + e.getKey() + " contains a line break or NUL, which an env file cannot hold");
      }
      envFile.append(e.getKey()).append('=').append(value).append('\n');
    }
    List<String> run = new ArrayList<>(List.of("docker", "run", "--rm", "--env-file"));
    // the private directory holds the env file (from stdin) and the output; removed on any exit
    String script =
        need("docker")
            + "umask 077\n"
            + "work=$(mktemp -d) || { echo 'ferry-setup: mktemp -d failed' >&2; exit 70; }\n"
            + "trap 'rm -rf -- \"$work\"' EXIT\n"
            + "trap 'exit 129' HUP INT TERM\n"
            + "cat > \"$work/env\" || { echo 'ferry-setup: writing the env file failed' >&2;"
            + " exit 70; }\n"
            + Shell.words(run)
            + " \"$work/env\" "
            + Shell.words(withImage(image, command))
            + " > \"$work/out\" 2>&1 < /dev/null\n"
            + "status=$?\n"
            + "tail -c "
            + OUTPUT_TAIL_BYTES
            + " \"$work/out\"\n"
            + "exit $status\n";
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script)
                .withStdin(envFile.toString())
                .withTimeout(RUN_TIMEOUT)
                .withProgress(ExecProgress.activityHeartbeat()));
    requireInstalled(host, result, "docker", DOCKER_INSTALL);
    if (result.stderr().contains("ferry-setup: ")) {
      throw new IllegalStateException(
          "docker run of " + image + " on " + host.host() + ": " + result.lastErrorLine());
    }
    return new CommandResult(result.exitStatus(), result.stdout());
  }

  private static boolean refused(String why) {
    String lower = why.toLowerCase(Locale.ROOT);
    return lower.contains("unauthorized")
        || lower.contains("denied")
        || lower.contains("authentication required")
        || lower.contains("incorrect username or password");
  }

  private static List<String> withImage(String image, List<String> command) {
    List<String> words = new ArrayList<>();
    words.add(image);
    for (String word : command) {
      words.add(Failures.require("command word", word));
    }
    return words;
  }

  /** The repository of {@code host/path:tag} (or {@code @digest}): without tag or digest. */
  static String repository(String reference) {
    int at = reference.indexOf('@');
    String name = at >= 0 ? reference.substring(0, at) : reference;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static String joined(String directory, String relative) {
    return (directory.endsWith("/") ? directory : directory + "/") + relative;
  }
}
