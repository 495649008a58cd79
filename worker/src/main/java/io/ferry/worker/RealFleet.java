package io.ferry.worker;

import io.ferry.activities.ActivityAssembly;
import io.ferry.activities.Fleet;
import io.ferry.activities.LivenessHeartbeats;
import io.ferry.activities.Polling;
import io.ferry.activities.Ports;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.StepScopeInterceptor;
import io.ferry.activities.digitalocean.DigitalOceanApi;
import io.ferry.activities.digitalocean.DigitalOceanApps;
import io.ferry.activities.digitalocean.DigitalOceanCompute;
import io.ferry.activities.digitalocean.DigitalOceanDatabases;
import io.ferry.activities.digitalocean.DigitalOceanDns;
import io.ferry.activities.digitalocean.DigitalOceanRegistry;
import io.ferry.activities.digitalocean.DoLibrary;
import io.ferry.activities.digitalocean.Heartbeat;
import io.ferry.activities.embed.MiniLmEmbedder;
import io.ferry.activities.files.FileBackupStore;
import io.ferry.activities.files.FileClusterSecrets;
import io.ferry.activities.files.LocalWorkerFiles;
import io.ferry.activities.http.HttpNodeMetrics;
import io.ferry.activities.http.JdkHttp;
import io.ferry.activities.kubernetes.Fabric8Kubernetes;
import io.ferry.activities.objectstore.S3ObjectStore;
import io.ferry.activities.postgres.PgDumpOverSsh;
import io.ferry.activities.postgres.PgbenchOverSsh;
import io.ferry.activities.postgres.PostgresJdbc;
import io.ferry.activities.postgres.PostgresReplication;
import io.ferry.activities.redis.RedisMemoryStore;
import io.ferry.activities.ssh.SshCompose;
import io.ferry.activities.ssh.SshContainers;
import io.ferry.activities.ssh.SshCrontab;
import io.ferry.activities.ssh.SshDeployRepository;
import io.ferry.activities.ssh.SshDocker;
import io.ferry.activities.ssh.SshFileTrees;
import io.ferry.activities.ssh.SshHelm;
import io.ferry.activities.ssh.SshHostFiles;
import io.ferry.activities.ssh.SshHostLogs;
import io.ferry.activities.ssh.SshK3sNodes;
import io.ferry.activities.ssh.SshNginx;
import io.ferry.activities.ssh.SshNodeHost;
import io.ferry.activities.ssh.SshPsql;
import io.ferry.activities.ssh.SshPythonEnvs;
import io.ferry.activities.ssh.SshServices;
import io.ferry.activities.ssh.SshSessions;
import io.ferry.activities.ssh.SshStandby;
import io.ferry.activities.ssh.SshSwarm;
import io.ferry.activities.ssh.SshSystemd;
import io.ferry.activities.weaviate.WeaviateRest;
import io.ferry.plan.SecretRef;
import io.temporal.common.interceptors.WorkerInterceptor;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The activities wired to real systems: hosts over SSH, DigitalOcean's API, PostgreSQL over JDBC,
 * Weaviate, Redis-protocol stores, MiniLM in-process. Plans name hosts and secret references; the
 * worker holds only what is not per plan: the DigitalOcean token's reference and where relative
 * backup paths go.
 */
final class RealFleet implements Fleet {

  /**
   * @param digitalOceanToken reference to the API token, resolved once at start
   * @param digitalOceanApi base URL of the API (DigitalOcean's unless testing)
   * @param backupRoot where backups named by relative paths are written
   * @param redisCaFile extra CA (PEM) trusted for {@code rediss://} stores, or null
   * @param stateDir the worker's own state: secrets a migration produces (a cluster's join token
   *     and kubeconfig), 0600 files; null: {@code state} beside the backup root
   */
  record Settings(
      SecretRef digitalOceanToken,
      URI digitalOceanApi,
      Path backupRoot,
      Path redisCaFile,
      Path stateDir) {

    Settings(SecretRef digitalOceanToken, URI digitalOceanApi, Path backupRoot, Path redisCaFile) {
      this(digitalOceanToken, digitalOceanApi, backupRoot, redisCaFile, null);
    }

    Path stateDirOrDefault() {
      return stateDir != null ? stateDir : backupRoot.toAbsolutePath().resolveSibling("state");
    }
  }

  private final List<Object> activities;
  private final SshSessions ssh;

  private RealFleet(List<Object> activities, SshSessions ssh) {
    this.activities = activities;
    this.ssh = ssh;
  }

  /**
   * Builds every adapter. Fails, naming the reference, when the DigitalOcean token cannot be
   * resolved: a worker that cannot reach the provider should not start taking tasks.
   */
  static RealFleet connect(Settings settings, SecretResolver secrets) {
    DoLibrary library = DoLibrary.connect(settings.digitalOceanToken(), secrets);
    DigitalOceanApi api =
        DigitalOceanApi.connect(settings.digitalOceanApi(), settings.digitalOceanToken(), secrets);
    SshSessions ssh = new SshSessions(secrets);
    Ports ports =
        new Ports(
            new DigitalOceanCompute(library, api, Polling.REAL, Heartbeat.activity()),
            new DigitalOceanDns(library),
            new SshHostFiles(ssh),
            new SshServices(ssh),
            new SshCompose(ssh),
            new SshContainers(ssh),
            new SshHostLogs(ssh),
            new PgDumpOverSsh(ssh),
            new PostgresJdbc(secrets),
            new PgbenchOverSsh(ssh, secrets),
            new WeaviateRest(secrets),
            new RedisMemoryStore(secrets, settings.redisCaFile()),
            new MiniLmEmbedder(),
            new FileBackupStore(settings.backupRoot()),
            new JdkHttp(),
            new DigitalOceanApps(api),
            new DigitalOceanRegistry(api),
            new DigitalOceanDatabases(api),
            new LocalWorkerFiles(),
            new SshK3sNodes(ssh),
            new SshDeployRepository(ssh),
            new SshSwarm(ssh),
            new Fabric8Kubernetes(),
            new SshHelm(ssh),
            new FileClusterSecrets(settings.stateDirOrDefault().resolve("cluster-secrets")),
            new SshFileTrees(ssh),
            new SshSystemd(ssh),
            new SshDocker(ssh),
            new SshPythonEnvs(ssh),
            new SshPsql(ssh),
            new S3ObjectStore(),
            new HttpNodeMetrics(),
            new SshCrontab(ssh),
            new SshNginx(ssh),
            new PostgresReplication(secrets),
            new SshNodeHost(ssh),
            new SshStandby(ssh, secrets),
            secrets,
            Polling.REAL,
            Clock.systemUTC());
    return new RealFleet(ActivityAssembly.activities(ports), ssh);
  }

  @Override
  public String name() {
    return "real";
  }

  @Override
  public List<Object> activityImplementations() {
    return activities;
  }

  @Override
  public List<WorkerInterceptor> interceptors() {
    return List.of(new StepScopeInterceptor(), new LivenessHeartbeats());
  }

  /** Closes SSH connections; the worker calls it on shutdown. */
  void close() {
    ssh.close();
  }
}
