package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.activities.Failures;
import io.ferry.activities.port.HostPort;
import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.FailureTypes;
import io.temporal.failure.ApplicationFailure;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link HostPort} over SSH. Files are written through a temporary file in the same directory and
 * renamed over the target, so a reader sees the old or the new file, never half of one. Every value
 * from a plan reaches the shell through {@link Shell#quote}.
 */
public final class SshHosts implements HostPort {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9@._:\\\\-]+");
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Duration COMPOSE_TIMEOUT = Duration.ofMinutes(15);
  private static final String COMPOSE_FILE = "compose.yaml";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(60);
  private static final Duration JOURNAL_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration DUMP_TIMEOUT = Duration.ofHours(6);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PUSHED_DIGEST =
      Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");
  private static final int OUTPUT_TAIL_BYTES = 4096;
  private static final int MISSING_TOOL = 127;
  private static final String MISSING = "ferry-missing: ";
  private static final String DOCKER_INSTALL =
      "install Docker Engine (https://docs.docker.com/engine/install/) and let the SSH user use it";
  private static final DateTimeFormatter JOURNAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final SshSessions ssh;

  public SshHosts(SshSessions ssh) {
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

  @Override
  public void writeFile(SshTarget host, String path, String content, String mode) {
    String target = absolute(path);
    if (mode == null || !MODE.matcher(mode).matches()) {
      throw Failures.invalidInput("mode must be octal like 0644, was " + mode);
    }
    String directory = target.substring(0, Math.max(1, target.lastIndexOf('/')));
    String name = target.substring(target.lastIndexOf('/') + 1);
    // umask 077: the temporary file is private until it has its final mode and name
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
            + " else echo absent; fi";
    return ssh.execOrFail(host, "removing " + path, ExecRequest.of(script))
        .strip()
        .equals("removed");
  }

  @Override
  public void restartService(SshTarget host, String service) {
    Failures.require("service", service);
    if (!UNIT.matcher(service).matches() || service.startsWith("-")) {
      throw Failures.invalidInput("service must be a systemd unit name, was " + service);
    }
    ExecResult result =
        ssh.exec(host, ExecRequest.of(Shell.words("systemctl", "restart", service)));
    if (result.succeeded()) {
      return;
    }
    String why = result.lastErrorLine();
    if (why.contains("not found") || why.contains("not loaded")) {
      throw Failures.notFound("Unit " + service + " not found on " + host.host() + ": " + why);
    }
    throw new IllegalStateException(
        "systemctl restart " + service + " on " + host.host() + " failed: " + why);
  }

  @Override
  public List<String> composeUp(SshTarget host, String directory, String project) {
    String file = composeFile(directory);
    String script =
        "if [ ! -f "
            + quote(file)
            + " ]; then echo \"no such file: \""
            + quote(file)
            + " >&2; exit 66; fi\n"
            + compose(project, file, "up", "-d", "--remove-orphans");
    ExecResult result = ssh.exec(host, ExecRequest.of(script).withTimeout(COMPOSE_TIMEOUT));
    if (result.exitStatus() == 66) {
      throw Failures.notFound("no " + COMPOSE_FILE + " in " + directory + " on " + host.host());
    }
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "docker compose up of "
              + project
              + " on "
              + host.host()
              + " failed: "
              + result.lastErrorLine());
    }
    return composeServices(host, directory, project)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "docker compose up of " + project + " on " + host.host() + " started nothing"));
  }

  /**
   * {@code docker compose} on the project by name, with its file when the file is still there: an
   * earlier attempt may have removed it, and compose still finds the project by name.
   */
  private static String composeByName(String directory, String project, String command) {
    String file = composeFile(directory);
    return "if [ -f "
        + quote(file)
        + " ]; then set -- -f "
        + quote(file)
        + "; fi\nexec docker compose -p "
        + quote(projectName(project))
        + " \"$@\" "
        + command;
  }

  @Override
  public Optional<List<String>> composeServices(SshTarget host, String directory, String project) {
    String script = composeByName(directory, project, "ps --format json");
    String out = ssh.execOrFail(host, "docker compose ps of " + project, ExecRequest.of(script));
    List<String> running = runningServices(out);
    return running.isEmpty() ? Optional.empty() : Optional.of(running);
  }

  @Override
  public void composeDown(SshTarget host, String directory, String project) {
    String script = composeByName(directory, project, "down --remove-orphans");
    ssh.execOrFail(
        host,
        "docker compose down of " + project,
        ExecRequest.of(script).withTimeout(COMPOSE_TIMEOUT));
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
    String why = masked(result.lastErrorLine(), token);
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
              + lastLines(result.stderr(), 10));
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

  @Override
  public LocalFile exportJournal(
      SshTarget host, List<String> units, Instant since, String localPath) {
    Failures.require("units", units);
    if (units.isEmpty()) {
      throw Failures.invalidInput("units must name at least one systemd unit");
    }
    List<String> words = new ArrayList<>(List.of("journalctl"));
    for (String unit : units) {
      words.add("-u");
      words.add(unit(unit));
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
      return new LocalFile(target.toString(), bytes, HexFormat.of().formatHex(sha256.digest()));
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

  @Override
  public LocalFile pgDump(SshTarget host, PostgresTarget database, String password, String path) {
    Failures.require("database", database);
    String dump = absolute(path);
    String name = dump.substring(dump.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      throw Failures.invalidInput("path must name a file, was " + path);
    }
    String directory = dump.substring(0, Math.max(1, dump.lastIndexOf('/')));
    String dbName = option("database", database.database());
    option("host", database.host());
    option("user", database.user());
    Failures.require("password", password);
    if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
      throw Failures.invalidInput(
          "the password of "
              + database.user()
              + " contains a line break, which a pgpass file cannot hold");
    }
    // the whole password field of a pgpass line: every ':' and '\' escaped
    String pgpass = "*:*:*:*:" + password.replace("\\", "\\\\").replace(":", "\\:") + "\n";
    List<String> pgDump =
        List.of(
            "pg_dump",
            "--format=custom",
            "--no-password",
            "--host",
            database.host(),
            "--port",
            Integer.toString(database.port()),
            "--username",
            database.user(),
            "--dbname",
            dbName,
            "--file");
    String script =
        "set -e\n"
            + "umask 077\n"
            + "dump="
            + quote(dump)
            + "\n"
            + "if [ -f \"$dump\" ] && [ \"$(head -c 5 -- \"$dump\")\" = PGDMP ]; then\n"
            + "  cat > /dev/null\n" // the pgpass line: not needed
            + "  echo kept\n"
            + "else\n"
            + "  "
            + need("pg_dump").replace("\n", "\n  ")
            + "mkdir -p -- "
            + quote(directory)
            + "\n"
            + "  work=$(mktemp -d -- "
            + quote(directory + "/." + name + ".ferry-XXXXXX")
            + ")\n"
            + "  trap 'rm -rf -- \"$work\"' EXIT\n"
            + "  trap 'exit 129' HUP INT TERM\n"
            + "  cat > \"$work/pgpass\"\n"
            + "  PGPASSFILE=\"$work/pgpass\" PGSSLMODE="
            + quote(database.sslMode())
            + " "
            + Shell.words(pgDump)
            + " \"$work/dump\" < /dev/null\n"
            + "  mv -f -- \"$work/dump\" \"$dump\"\n"
            + "  echo dumped\n"
            + "fi\n"
            + "printf '%s %s\\n' \"$(wc -c < \"$dump\")\" \"$(sha256sum < \"$dump\" | cut -d ' ' -f 1)\"\n";
    ExecResult result =
        ssh.exec(
            host,
            ExecRequest.of(script)
                .withStdin(pgpass)
                .withTimeout(DUMP_TIMEOUT)
                .withProgress(ExecProgress.activityHeartbeat()));
    requireInstalled(
        host,
        result,
        "pg_dump",
        "install the PostgreSQL client (apt-get install postgresql-client)");
    String what =
        "pg_dump of " + database.host() + "/" + dbName + " to " + dump + " on " + host.host();
    if (!result.succeeded()) {
      String why = masked(result.lastErrorLine(), password);
      if (why.contains("password authentication failed")
          || why.contains("no password supplied")
          || why.contains("no pg_hba.conf entry")) {
        throw ApplicationFailure.newNonRetryableFailure(
            what + " was refused: " + why, FailureTypes.AUTH);
      }
      if (why.contains("database \"" + dbName + "\" does not exist")) {
        throw Failures.notFound(what + ": " + why);
      }
      if (why.contains("server version mismatch") || why.contains("Permission denied")) {
        throw Failures.precondition(what + " failed: " + why);
      }
      throw new IllegalStateException(what + " failed (exit " + result.exitStatus() + "): " + why);
    }
    String[] lines = result.stdout().strip().split("\n");
    String[] sizeAndSha = lines[lines.length - 1].strip().split("\\s+");
    if (sizeAndSha.length != 2 || !sizeAndSha[1].matches("[0-9a-f]{64}")) {
      throw new IllegalStateException(what + ": unexpected answer " + lines[lines.length - 1]);
    }
    return new LocalFile(dump, Long.parseLong(sizeAndSha[0]), sizeAndSha[1]);
  }

  /** Fails with what to install when the script said a tool is missing (see {@link #need}). */
  private static void requireInstalled(
      SshTarget host, ExecResult result, String tool, String install) {
    if (result.exitStatus() == MISSING_TOOL && result.stderr().contains(MISSING + tool + "\n")) {
      throw Failures.precondition(
          tool
              + " is not installed on "
              + host.host()
              + " (not on the PATH of "
              + host.user()
              + "): "
              + install);
    }
  }

  /**
   * A script line that stops with {@link #MISSING_TOOL} when {@code tool} is not on the PATH. It
   * reads stdin to its end first (with a builtin: nothing else may exist), so the secret being sent
   * never meets a closed pipe, which some servers answer by dropping the output.
   */
  private static String need(String tool) {
    return "command -v "
        + tool
        + " >/dev/null 2>&1 || { while read -r _; do :; done; echo "
        + quote(MISSING + tool)
        + " >&2; exit "
        + MISSING_TOOL
        + "; }\n";
  }

  private static boolean refused(String why) {
    String lower = why.toLowerCase(Locale.ROOT);
    return lower.contains("unauthorized")
        || lower.contains("denied")
        || lower.contains("authentication required")
        || lower.contains("incorrect username or password");
  }

  private static String masked(String text, String secret) {
    return secret.isEmpty() ? text : text.replace(secret, "***");
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

  static String lastLines(String text, int count) {
    String[] lines = text.strip().split("\n");
    return String.join(
        "\n", List.of(lines).subList(Math.max(0, lines.length - count), lines.length));
  }

  /** A value passed as a command argument: required, and never taken for an option. */
  private static String option(String field, String value) {
    Failures.require(field, value);
    if (value.startsWith("-") || value.indexOf('\n') >= 0) {
      throw Failures.invalidInput(
          field + " must not start with '-' or hold a line break, was " + value);
    }
    return value;
  }

  private static String unit(String unit) {
    Failures.require("unit", unit);
    if (!UNIT.matcher(unit).matches() || unit.startsWith("-")) {
      throw Failures.invalidInput("unit must be a systemd unit name, was " + unit);
    }
    return unit;
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

  /**
   * Services in state {@code running} from {@code docker compose ps --format json}: a JSON array
   * (Compose before 2.21) or one object per line (since).
   */
  static List<String> runningServices(String psJson) {
    List<JsonNode> containers = new ArrayList<>();
    try {
      String trimmed = psJson.strip();
      if (trimmed.startsWith("[")) {
        JSON.readTree(trimmed).forEach(containers::add);
      } else {
        for (String line : trimmed.split("\n")) {
          if (!line.isBlank()) {
            containers.add(JSON.readTree(line));
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "docker compose ps printed something that is not JSON: " + e.getOriginalMessage());
    }
    TreeSet<String> running = new TreeSet<>();
    for (JsonNode c : containers) {
      if ("running".equalsIgnoreCase(c.path("State").asText())) {
        running.add(c.path("Service").asText());
      }
    }
    return List.copyOf(running);
  }

  private static String compose(String project, String file, String... args) {
    List<String> words = new ArrayList<>(List.of("docker", "compose", "-p", projectName(project)));
    words.add("-f");
    words.add(file);
    words.addAll(List.of(args));
    return Shell.words(words);
  }

  private static String projectName(String project) {
    Failures.require("name", project);
    if (!PROJECT.matcher(project).matches()) {
      throw Failures.invalidInput(
          "compose project name must be lowercase letters, digits, '-' or '_', was " + project);
    }
    return project;
  }

  private static String composeFile(String directory) {
    String dir = absolute(Failures.require("directory", directory));
    return (dir.endsWith("/") ? dir : dir + "/") + COMPOSE_FILE;
  }

  private static String absolute(String path) {
    Failures.require("path", path);
    if (!path.startsWith("/")) {
      throw Failures.invalidInput("path must be absolute, was " + path);
    }
    if (path.indexOf('\n') >= 0) {
      throw Failures.invalidInput("path must not contain a newline, was " + path);
    }
    return path;
  }

  private static String fourDigits(String mode) {
    return mode.length() >= 4 ? mode : "0".repeat(4 - mode.length()) + mode;
  }
}
