package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.Shell.quote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.activities.Failures;
import io.ferry.activities.port.HostPort;
import io.ferry.plan.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
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

  @Override
  public Optional<List<String>> composeServices(SshTarget host, String directory, String project) {
    String file = composeFile(directory);
    // without its file (removed by an earlier attempt) compose still finds a project by name
    String script =
        "if [ -f "
            + quote(file)
            + " ]; then set -- -f "
            + quote(file)
            + "; fi\nexec docker compose -p "
            + quote(projectName(project))
            + " \"$@\" ps --format json";
    String out = ssh.execOrFail(host, "docker compose ps of " + project, ExecRequest.of(script));
    List<String> running = runningServices(out);
    return running.isEmpty() ? Optional.empty() : Optional.of(running);
  }

  @Override
  public void composeDown(SshTarget host, String directory, String project) {
    String file = composeFile(directory);
    String script =
        "if [ -f "
            + quote(file)
            + " ]; then set -- -f "
            + quote(file)
            + "; fi\nexec docker compose -p "
            + quote(projectName(project))
            + " \"$@\" down --remove-orphans";
    ssh.execOrFail(
        host,
        "docker compose down of " + project,
        ExecRequest.of(script).withTimeout(COMPOSE_TIMEOUT));
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
