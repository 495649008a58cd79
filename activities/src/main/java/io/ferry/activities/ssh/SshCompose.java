package io.ferry.activities.ssh;

import static io.ferry.activities.ssh.RemoteScript.absolute;
import static io.ferry.activities.ssh.Shell.quote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.activities.Failures;
import io.ferry.activities.port.ComposePort;
import io.ferry.plan.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@link ComposePort} over SSH: {@code docker compose} on the host, the project named. */
public final class SshCompose implements ComposePort {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Duration COMPOSE_TIMEOUT = Duration.ofMinutes(15);
  private static final String COMPOSE_FILE = "compose.yaml";

  private final SshSessions ssh;

  public SshCompose(SshSessions ssh) {
    this.ssh = ssh;
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
}
