package io.ferry.activities.host;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ComposePort;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.port.HostLogsPort;
import io.ferry.activities.port.ServicesPort;
import io.ferry.activities.port.WrittenFile;
import io.ferry.contract.HostActivities;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HostActivities} over the host's files, services, compose projects and logs. */
public final class HostActivitiesImpl implements HostActivities {

  private static final Logger log = LoggerFactory.getLogger(HostActivitiesImpl.class);
  static final String COMPOSE_FILE = "compose.yaml";
  static final String ENV_FILE = ".env";

  private final HostFilesPort files;
  private final ServicesPort services;
  private final ComposePort compose;
  private final HostLogsPort logs;
  private final SecretResolver secrets;

  public HostActivitiesImpl(
      HostFilesPort files,
      ServicesPort services,
      ComposePort compose,
      HostLogsPort logs,
      SecretResolver secrets) {
    this.files = files;
    this.services = services;
    this.compose = compose;
    this.logs = logs;
    this.secrets = secrets;
  }

  @Override
  public ComposeState composeUp(ComposeProject project) {
    SshTarget host = requireHost(project.host());
    String dir = directory(project.directory());
    String name = Failures.require("name", project.name());
    Failures.require("composeYaml", project.composeYaml());
    files.writeFile(host, dir + "/" + COMPOSE_FILE, project.composeYaml(), "0644");
    if (project.env() != null && !project.env().isEmpty()) {
      StringBuilder env = new StringBuilder();
      for (Map.Entry<String, SecretRef> e : new TreeMap<>(project.env()).entrySet()) {
        env.append(e.getKey()).append('=').append(secrets.resolve(e.getValue())).append('\n');
      }
      files.writeFile(host, dir + "/" + ENV_FILE, env.toString(), "0600");
    }
    List<String> running = compose.composeUp(host, dir, name);
    log.info("compose project {} up on {}: {}", name, host.host(), running);
    return new ComposeState(name, running);
  }

  @Override
  public void composeDown(ComposeRef project) {
    SshTarget host = requireHost(project.host());
    String dir = directory(project.directory());
    String name = Failures.require("name", project.name());
    if (compose.composeServices(host, dir, name).isPresent()) {
      compose.composeDown(host, dir, name);
    }
    files.removeFile(host, dir + "/" + ENV_FILE);
    files.removeFile(host, dir + "/" + COMPOSE_FILE);
  }

  @Override
  public ConfigSwitch switchConfig(ConfigChange change) {
    SshTarget host = requireHost(change.host());
    String path = Failures.require("path", change.path());
    String service = Failures.require("service", change.service());
    String backupPath = backupPath(path, change.key());
    HostFile current =
        files
            .readFile(host, path)
            .orElseThrow(() -> Failures.notFound(path + " does not exist on " + host.host()));
    // Keep the original once: a retry finds the kept copy and must not replace it with our edit.
    HostFile original = files.readFile(host, backupPath).orElse(null);
    if (original == null) {
      files.writeFile(host, backupPath, current.content(), current.mode());
      original = current;
    }
    Map<String, String> before = EnvFile.parse(original.content());
    Map<String, String> previous = new LinkedHashMap<>();
    Map<String, String> settings = change.settings() == null ? Map.of() : change.settings();
    settings.keySet().stream()
        .filter(before::containsKey)
        .forEach(k -> previous.put(k, before.get(k)));
    String edited = EnvFile.apply(current.content(), settings);
    if (!edited.equals(current.content())) {
      files.writeFile(host, path, edited, current.mode());
    }
    services.restartService(host, service);
    return new ConfigSwitch(path, previous, backupPath);
  }

  @Override
  public void restoreConfig(ConfigRestore restore) {
    SshTarget host = requireHost(restore.host());
    String path = Failures.require("path", restore.path());
    String backupPath = backupPath(path, restore.key());
    HostFile kept = files.readFile(host, backupPath).orElse(null);
    if (kept == null) {
      return;
    }
    files.writeFile(host, path, kept.content(), kept.mode());
    files.removeFile(host, backupPath);
    services.restartService(host, Failures.require("service", restore.service()));
  }

  /** Where {@link #switchConfig} keeps the original: {@code <path>.ferry-<safe-key>}. */
  public static String backupPath(String path, String key) {
    return path + ".ferry-" + Keys.safe(key);
  }

  private static SshTarget requireHost(SshTarget host) {
    Failures.require("host", host);
    Failures.require("host.host", host.host());
    return host;
  }

  private static String directory(String dir) {
    Failures.require("directory", dir);
    if (!dir.startsWith("/")) {
      throw Failures.invalidInput("directory must be an absolute path, was " + dir);
    }
    return dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
  }

  @Override
  public LogArchive exportLogs(LogExportRequest request) {
    Failures.require("units", request.units());
    String path =
        Failures.require("destination", request.destination())
            + "/"
            + io.ferry.activities.Keys.safe(Failures.require("key", request.key()))
            + "-journal.gz";
    WrittenFile file =
        logs.exportJournal(
            Failures.require("host", request.host()),
            request.units(),
            java.time.Instant.now().minus(request.since()),
            path);
    return new LogArchive(file.path(), file.bytes(), file.sha256());
  }
}
