package io.ferry.contract;

import io.ferry.plan.PostgresTarget;
import io.ferry.plan.SecretRef;
import io.ferry.plan.SshTarget;
import io.ferry.runbook.ProbeVerdict;
import io.ferry.runbook.Summarized;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Moving a development VM onto prepared nodes: finding the nodes, syncing code, the app's venv, env
 * file and systemd unit, a long-running container, node exporter, the source's archive in an object
 * store, resource watching and stopping the source's services.
 */
@ActivityInterface(namePrefix = "Transition.")
public interface TransitionActivities {

  /**
   * Finds the droplet by id or tag (or the key tag of one this run created) and waits until active.
   */
  Node findNode(NodeLookup lookup);

  /**
   * Connects with host-key verification and runs {@code docker ps}; fails when docker is not there.
   */
  NodeCheck verifyVectorNode(SshTarget host);

  /** Connects with host-key verification and runs {@code psql -l} as the role; lists databases. */
  NodeCheck verifyAppNode(AppNodeCheck check);

  /**
   * Copies the source checkout to the target directory file by file where the manifests (size and
   * SHA-256) differ, so a second run copies nothing and a retry resumes; heartbeats carry files and
   * bytes so far. The target's state before the first attempt is kept under the key for the undo.
   */
  SyncReport syncCode(CodeSync sync);

  /** Removes what the sync created: the files it added, or the whole directory if it made it. */
  void removeSyncedCode(CodeSync sync);

  /** Creates the venv (unless there) and installs the requirements; pip's failing line is said. */
  PythonEnv installPythonEnv(PythonEnvRequest request);

  /** Removes the venv when this run created it. */
  void removePythonEnv(PythonEnvRequest request);

  /** Writes the env file 0600, the previous one kept once under the key; secrets resolved here. */
  EnvFileWritten writeEnvFile(EnvFileRequest request);

  /** Puts the kept env file back, or removes the file when there was none before. */
  void restoreEnvFile(EnvFileRequest request);

  /** Installs the unit, daemon-reload, enable, start, waits until active and health answers 200. */
  ServiceState startService(ServiceUnit unit);

  /** Stops, disables and removes the unit, then daemon-reload; nothing to do when it is gone. */
  void removeService(ServiceUnit unit);

  /** {@code docker run -d --name ... --network host}; finds a running container of that name. */
  ContainerState runContainer(DetachedContainer container);

  /** {@code docker rm -f} of the container; nothing to do when it is not there. */
  void removeContainer(DetachedContainer container);

  /** Uploads the tarball from the worker, installs the binary and unit, checks :9100/metrics. */
  ServiceState installNodeExporter(NodeExporterRequest request);

  void removeNodeExporter(NodeExporterRequest request);

  /**
   * Tars the checkout on the source (the excludes left out), computes its SHA-256, copies it to the
   * worker (kept) and uploads it to the object store, multipart when large; checks the stored size.
   * A retry finds the archive and the object of the key.
   */
  ArchiveReport archiveSource(ArchiveRequest request);

  /** One round of watching: node exporter's CPU, memory and disk, and the probes' latencies. */
  WatchSample sampleResources(WatchRequest request);

  /** Stops and disables the source's services (the VM itself is destroyed by hand). */
  ServicesStopped stopSourceServices(SourceServices request);

  /**
   * Adds the lines to the user's crontab between markers naming the key; the table as it was is
   * kept on the host once, so a retry adds nothing twice and the undo puts it back exactly.
   */
  BackupsScheduled scheduleBackups(CronLines request);

  /** Puts the kept crontab back (or removes the table when there was none); no-op otherwise. */
  void unscheduleBackups(CronLines request);

  /**
   * @param user whose crontab (the login user's when null)
   */
  record CronLines(SshTarget host, String user, List<String> lines, String key) {}

  record BackupsScheduled(String host, List<String> lines) implements Summarized {
    @Override
    public String summary() {
      return lines.size() + " crontab lines on " + host + ": " + String.join(" ; ", lines);
    }
  }

  record NodeLookup(Long dropletId, String tag, String key) {}

  record Node(long id, String name, String privateIp, String publicIp) implements Summarized {
    @Override
    public String summary() {
      return "droplet " + name + " (id " + id + ", private " + privateIp + ")";
    }
  }

  record AppNodeCheck(SshTarget host, String role) {}

  record NodeCheck(String host, List<String> seen) implements Summarized {
    @Override
    public String summary() {
      return host + ": " + (seen.isEmpty() ? "nothing listed" : String.join(", ", seen));
    }
  }

  /**
   * @param excludes relative names left out anywhere in the tree (venv, .git and the plan's)
   */
  record CodeSync(
      SshTarget source,
      String sourceDir,
      SshTarget target,
      String targetDir,
      List<String> excludes,
      String key) {}

  /**
   * @param digest SHA-256 over the sorted manifest lines ({@code sha256 bytes path}), the same on
   *     both sides once synced
   */
  record SyncReport(long files, long bytes, long copiedFiles, long copiedBytes, String digest)
      implements Summarized {
    @Override
    public String summary() {
      return files
          + " files ("
          + bytes
          + " bytes) match on both sides, digest "
          + digest.substring(0, 12)
          + "; copied "
          + copiedFiles
          + " files ("
          + copiedBytes
          + " bytes)";
    }
  }

  record PythonEnvRequest(SshTarget host, String appDir, String requirements, String key) {}

  record PythonEnv(String venv, int packages) implements Summarized {
    @Override
    public String summary() {
      return "venv " + venv + " with " + packages + " packages";
    }
  }

  /**
   * @param values plain settings; {@code secrets} are resolved on the worker and substituted for
   *     {@code ${NAME}} in the values
   */
  record EnvFileRequest(
      SshTarget host,
      String path,
      Map<String, String> values,
      Map<String, SecretRef> secrets,
      String key) {}

  record EnvFileWritten(String path, List<String> keys, String keptAs) implements Summarized {
    @Override
    public String summary() {
      return "wrote "
          + path
          + " (0600: "
          + String.join(", ", keys)
          + ")"
          + (keptAs == null ? ", none before" : ", previous kept as " + keptAs);
    }
  }

  /**
   * @param healthUrl answers 200 once the service is up; null checks only that it is active
   */
  record ServiceUnit(
      SshTarget host, String name, String content, String healthUrl, Duration waitAtMost) {}

  record ServiceState(String name, String state, String detail) implements Summarized {
    @Override
    public String summary() {
      return name + " " + state + (detail == null ? "" : " (" + detail + ")");
    }
  }

  /**
   * @param volumes {@code /host/path:/container/path}
   * @param env plain values (secrets have no place on a docker command line)
   */
  record DetachedContainer(
      SshTarget host, String name, String image, List<String> volumes, Map<String, String> env) {}

  record ContainerState(String name, String image, String id) implements Summarized {
    @Override
    public String summary() {
      return "container " + name + " (" + image + ") running, id " + id;
    }
  }

  /**
   * @param tarball path on the worker of node_exporter-VERSION.linux-ARCH.tar.gz
   */
  record NodeExporterRequest(SshTarget host, String tarball, int port) {}

  /**
   * @param endpoint S3 endpoint such as https://fra1.digitaloceanspaces.com
   * @param localDir where the worker keeps its copy
   */
  record ArchiveRequest(
      SshTarget source,
      String checkoutDir,
      List<String> excludes,
      String remoteDir,
      String localDir,
      ObjectStore store,
      String objectKey,
      String key) {}

  record ObjectStore(
      String endpoint, String region, String bucket, SecretRef accessKey, SecretRef secretKey) {}

  record ArchiveReport(String localPath, String object, long bytes, String sha256, int parts)
      implements Summarized {
    @Override
    public String summary() {
      return "archived "
          + bytes
          + " bytes (sha256 "
          + sha256.substring(0, 12)
          + ") to "
          + object
          + (parts > 1 ? " in " + parts + " parts" : "")
          + "; kept "
          + localPath;
    }
  }

  /** Where to look and the limits: CPU, memory and disk in percent, latencies in ms. */
  record WatchRequest(
      String metricsUrl,
      String apiUrl,
      PostgresTarget postgres,
      io.ferry.plan.WeaviateTarget weaviate,
      String collection,
      double cpuPercent,
      double memoryPercent,
      double diskPercent,
      Duration apiLatency,
      Duration weaviateP95,
      int samples) {}

  /**
   * @param breaches each threshold passed, as {@code cpu 93% > 80%}
   */
  record WatchSample(
      double cpuPercent,
      double memoryPercent,
      double diskPercent,
      long apiMillis,
      long weaviateP95Millis,
      List<String> breaches)
      implements ProbeVerdict, Summarized {
    @Override
    public boolean passed() {
      return breaches.isEmpty();
    }

    @Override
    public String detail() {
      return passed() ? summary() : String.join("; ", breaches);
    }

    @Override
    public String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "cpu %.0f%%, memory %.0f%%, disk %.0f%%, API %d ms, Weaviate p95 %d ms%s",
          cpuPercent,
          memoryPercent,
          diskPercent,
          apiMillis,
          weaviateP95Millis,
          breaches.isEmpty() ? "" : " BREACH: " + String.join("; ", breaches));
    }
  }

  record SourceServices(SshTarget source, List<String> services) {}

  record ServicesStopped(String host, List<String> stopped) implements Summarized {
    @Override
    public String summary() {
      return "stopped and disabled " + (stopped.isEmpty() ? "nothing" : stopped) + " on " + host;
    }
  }
}
