package io.ferry.activities.transition;

import io.ferry.activities.Failures;
import io.ferry.activities.Keys;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.port.ComputePort;
import io.ferry.activities.port.ComputePort.DropletInfo;
import io.ferry.activities.port.CrontabPort;
import io.ferry.activities.port.DockerPort;
import io.ferry.activities.port.FileTreePort;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.HostFilesPort.HostFile;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.NodeMetricsPort;
import io.ferry.activities.port.ObjectStorePort;
import io.ferry.activities.port.PsqlPort;
import io.ferry.activities.port.PythonEnvPort;
import io.ferry.activities.port.SystemdPort;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.contract.TransitionActivities;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link TransitionActivities} over the host, cloud, store and metrics ports. */
public final class TransitionActivitiesImpl implements TransitionActivities {

  /** Where units, the exporter's binary and uploads go on a host; a test's host is this machine. */
  record HostPaths(String unitDir, String exporterBinary, String uploadDir) {
    static final HostPaths STANDARD =
        new HostPaths("/etc/systemd/system/", "/usr/local/bin/node_exporter", "/var/tmp/ferry/");
  }

  static final String EXPORTER_UNIT = "node_exporter";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(:url)?}");

  private final ComputePort compute;
  private final HostFilesPort files;
  private final FileTreePort trees;
  private final SystemdPort systemd;
  private final DockerPort docker;
  private final PythonEnvPort python;
  private final PsqlPort psql;
  private final HttpPort http;
  private final SecretResolver secrets;
  private final Polling polling;
  private final CodeSyncer syncer;
  private final SourceArchiver archiver;
  private final ResourceWatch watch;
  private final NightlyBackups backups;
  private HostPaths paths = HostPaths.STANDARD;

  public TransitionActivitiesImpl(
      ComputePort compute,
      HostFilesPort files,
      FileTreePort trees,
      SystemdPort systemd,
      DockerPort docker,
      PythonEnvPort python,
      PsqlPort psql,
      HttpPort http,
      ObjectStorePort objects,
      NodeMetricsPort metrics,
      WeaviatePort weaviate,
      CrontabPort crontab,
      SecretResolver secrets,
      Polling polling) {
    this.compute = compute;
    this.files = files;
    this.trees = trees;
    this.systemd = systemd;
    this.docker = docker;
    this.python = python;
    this.psql = psql;
    this.http = http;
    this.secrets = secrets;
    this.polling = polling;
    this.syncer = new CodeSyncer(trees, files);
    this.archiver = new SourceArchiver(trees, objects, secrets);
    this.watch = new ResourceWatch(metrics, http, weaviate);
    this.backups = new NightlyBackups(crontab, files);
  }

  /** For tests whose "host" is this machine: units and binaries under a temporary directory. */
  TransitionActivitiesImpl on(HostPaths paths) {
    this.paths = paths;
    return this;
  }

  @Override
  public Node findNode(NodeLookup lookup) {
    long deadline = System.nanoTime() + polling.timeout().toNanos();
    while (true) {
      Optional<DropletInfo> found =
          lookup.dropletId() != null
              ? compute.droplet(lookup.dropletId())
              : compute.findDroplet(
                  lookup.tag() != null
                      ? lookup.tag()
                      : Keys.marker(Failures.require("key", lookup.key())));
      if (found.isEmpty()) {
        throw Failures.notFound(
            lookup.dropletId() != null
                ? "droplet " + lookup.dropletId() + " does not exist"
                : "no droplet carries the tag "
                    + (lookup.tag() != null ? lookup.tag() : Keys.marker(lookup.key())));
      }
      DropletInfo d = found.get();
      if ("active".equals(d.status()) && d.privateIp() != null) {
        return new Node(d.id(), d.name(), d.privateIp(), d.publicIp());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("droplet " + d.id() + " is still " + d.status());
      }
      polling.pause();
    }
  }

  @Override
  public NodeCheck verifyVectorNode(SshTarget host) {
    return new NodeCheck(host.host(), docker.runningContainers(host));
  }

  @Override
  public NodeCheck verifyAppNode(AppNodeCheck check) {
    List<String> databases =
        psql.listDatabases(check.host(), Failures.require("role", check.role()));
    return new NodeCheck(check.host().host(), databases);
  }

  @Override
  public SyncReport syncCode(CodeSync sync) {
    return syncer.sync(sync);
  }

  @Override
  public void removeSyncedCode(CodeSync sync) {
    syncer.undo(sync);
  }

  @Override
  public PythonEnv installPythonEnv(PythonEnvRequest request) {
    String venv = appDir(request.appDir()) + "/venv";
    String marker = markerOf(request.appDir(), "venv", request.key());
    if (!python.venvExists(request.host(), venv)) {
      files.writeFile(request.host(), marker, "created by " + request.key() + "\n", "0600");
      python.createVenv(request.host(), venv);
    }
    String requirements =
        appDir(request.appDir()) + "/" + Failures.require("requirements", request.requirements());
    int packages = python.installRequirements(request.host(), venv, requirements);
    return new PythonEnv(venv, packages);
  }

  @Override
  public void removePythonEnv(PythonEnvRequest request) {
    String marker = markerOf(request.appDir(), "venv", request.key());
    if (files.readFile(request.host(), marker).isEmpty()) {
      return; // the venv was there before this run, or never made
    }
    python.removeVenv(request.host(), appDir(request.appDir()) + "/venv");
    files.removeFile(request.host(), marker);
  }

  @Override
  public EnvFileWritten writeEnvFile(EnvFileRequest request) {
    String path = absolute(request.path());
    String kept = path + ".ferry-" + Keys.safe(request.key());
    String absent = kept + ".absent";
    Optional<HostFile> current = files.readFile(request.host(), path);
    if (files.readFile(request.host(), kept).isEmpty()
        && files.readFile(request.host(), absent).isEmpty()) {
      if (current.isPresent()) {
        files.writeFile(request.host(), kept, current.get().content(), current.get().mode());
      } else {
        files.writeFile(
            request.host(), absent, "no " + path + " before " + request.key() + "\n", "0600");
      }
    }
    StringBuilder content = new StringBuilder("# Written by Ferry (do-transition).\n");
    request
        .values()
        .forEach(
            (k, v) ->
                content
                    .append(k)
                    .append('=')
                    .append(substitute(v, request.secrets()))
                    .append('\n'));
    files.writeFile(request.host(), path, content.toString(), "0600");
    boolean hadOne = files.readFile(request.host(), kept).isPresent();
    return new EnvFileWritten(path, List.copyOf(request.values().keySet()), hadOne ? kept : null);
  }

  @Override
  public void restoreEnvFile(EnvFileRequest request) {
    String path = absolute(request.path());
    String kept = path + ".ferry-" + Keys.safe(request.key());
    String absent = kept + ".absent";
    Optional<HostFile> previous = files.readFile(request.host(), kept);
    if (previous.isPresent()) {
      files.writeFile(request.host(), path, previous.get().content(), previous.get().mode());
      files.removeFile(request.host(), kept);
    } else if (files.readFile(request.host(), absent).isPresent()) {
      files.removeFile(request.host(), path);
      files.removeFile(request.host(), absent);
    }
  }

  @Override
  public ServiceState startService(ServiceUnit unit) {
    String name = unitName(unit.name());
    files.writeFile(
        unit.host(),
        paths.unitDir() + name + ".service",
        Failures.require("content", unit.content()),
        "0644");
    systemd.daemonReload(unit.host());
    systemd.enableNow(unit.host(), name);
    long deadline = System.nanoTime() + Failures.require("waitAtMost", unit.waitAtMost()).toNanos();
    String state;
    int health = 0;
    while (true) {
      state = systemd.activeState(unit.host(), name);
      if ("failed".equals(state)) {
        throw Failures.precondition(
            name + " failed to start on " + unit.host().host() + "; see journalctl -u " + name);
      }
      if ("active".equals(state)) {
        if (unit.healthUrl() == null) {
          return new ServiceState(name, state, null);
        }
        health = http.get(unit.healthUrl()).status();
        if (health == 200) {
          return new ServiceState(name, state, unit.healthUrl() + " answered 200");
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + " is "
                + state
                + (health == 0 ? "" : ", health answered " + health)
                + " after "
                + unit.waitAtMost());
      }
      polling.pause();
    }
  }

  @Override
  public void removeService(ServiceUnit unit) {
    String name = unitName(unit.name());
    boolean known = systemd.disableNow(unit.host(), name);
    boolean removed = files.removeFile(unit.host(), paths.unitDir() + name + ".service");
    if (known || removed) {
      systemd.daemonReload(unit.host());
    }
  }

  @Override
  public ContainerState runContainer(DetachedContainer c) {
    Optional<DockerPort.ContainerInfo> found =
        docker.inspect(c.host(), Failures.require("name", c.name()));
    if (found.isPresent() && found.get().running() && found.get().image().equals(c.image())) {
      return new ContainerState(c.name(), c.image(), found.get().id());
    }
    if (found.isPresent()) {
      docker.remove(c.host(), c.name()); // a stopped one, or another image: ours to replace
    }
    String id =
        docker.runDetached(
            c.host(), c.name(), Failures.require("image", c.image()), c.volumes(), c.env());
    return new ContainerState(c.name(), c.image(), id);
  }

  @Override
  public void removeContainer(DetachedContainer c) {
    docker.remove(c.host(), Failures.require("name", c.name()));
  }

  @Override
  public ServiceState installNodeExporter(NodeExporterRequest request) {
    String tarball = absolute(request.tarball());
    String fileName = tarball.substring(tarball.lastIndexOf('/') + 1);
    String release = fileName.substring(0, fileName.length() - ".tar.gz".length());
    String remote = paths.uploadDir() + fileName;
    trees.upload(tarball, request.host(), remote, "644");
    trees.extractMember(request.host(), remote, release + "/node_exporter", paths.exporterBinary());
    String unit =
        "# Written by Ferry (do-transition).\n[Unit]\nDescription=Prometheus node exporter\n"
            + "After=network.target\n\n[Service]\nExecStart="
            + paths.exporterBinary()
            + " --web.listen-address=:"
            + request.port()
            + "\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n";
    ServiceState started =
        startService(
            new ServiceUnit(
                request.host(),
                EXPORTER_UNIT,
                unit,
                "http://" + request.host().host() + ":" + request.port() + "/metrics",
                java.time.Duration.ofMinutes(1)));
    return new ServiceState(EXPORTER_UNIT, started.state(), release + ", " + started.detail());
  }

  @Override
  public void removeNodeExporter(NodeExporterRequest request) {
    removeService(
        new ServiceUnit(request.host(), EXPORTER_UNIT, "", null, java.time.Duration.ZERO));
    files.removeFile(request.host(), paths.exporterBinary());
    String tarball = absolute(request.tarball());
    files.removeFile(
        request.host(), paths.uploadDir() + tarball.substring(tarball.lastIndexOf('/') + 1));
  }

  @Override
  public ArchiveReport archiveSource(ArchiveRequest request) {
    return archiver.archive(request);
  }

  @Override
  public WatchSample sampleResources(WatchRequest request) {
    return watch.sample(request);
  }

  @Override
  public BackupsScheduled scheduleBackups(CronLines request) {
    return backups.schedule(request);
  }

  @Override
  public void unscheduleBackups(CronLines request) {
    backups.unschedule(request);
  }

  @Override
  public ServicesStopped stopSourceServices(SourceServices request) {
    List<String> stopped = new ArrayList<>();
    for (String service : request.services()) {
      if (systemd.disableNow(request.source(), unitName(service))) {
        stopped.add(service);
      }
    }
    return new ServicesStopped(request.source().host(), stopped);
  }

  /** {@code ${NAME}} becomes the resolved secret; {@code ${NAME:url}} its URL-encoded form. */
  private String substitute(String value, Map<String, SecretRef> refs) {
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      SecretRef ref = refs == null ? null : refs.get(m.group(1));
      if (ref == null) {
        throw Failures.invalidInput(
            "no secret reference named " + m.group(1) + " for the env file");
      }
      String secret = secrets.resolve(ref);
      if (secret.indexOf('\n') >= 0) {
        throw Failures.invalidInput(
            "the secret " + ref + " holds a line break; an env file cannot");
      }
      String shown =
          m.group(2) != null ? URLEncoder.encode(secret, StandardCharsets.UTF_8) : secret;
      m.appendReplacement(out, Matcher.quoteReplacement(shown));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String markerOf(String appDir, String what, String key) {
    return appDir(appDir) + "/.ferry-" + what + "-" + Keys.safe(Failures.require("key", key));
  }

  private static String appDir(String dir) {
    String d = absolute(dir);
    if (d.equals("/")) {
      throw Failures.invalidInput("the app directory must not be /");
    }
    return d;
  }

  private static String absolute(String path) {
    Failures.require("path", path);
    if (!path.startsWith("/") || path.contains("..") || path.indexOf('\n') >= 0) {
      throw Failures.invalidInput("path must be absolute without '..', was " + path);
    }
    return path;
  }

  private static String unitName(String unit) {
    Failures.require("unit", unit);
    if (!unit.matches("[A-Za-z0-9@._:-]+") || unit.startsWith("-")) {
      throw Failures.invalidInput("not a systemd unit name: " + unit);
    }
    return unit;
  }
}
