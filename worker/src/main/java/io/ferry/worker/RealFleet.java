package io.ferry.worker;

import io.ferry.activities.Fleet;
import io.ferry.activities.LivenessHeartbeats;
import io.ferry.activities.Polling;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.StepScopeInterceptor;
import io.ferry.activities.cloud.CloudActivitiesImpl;
import io.ferry.activities.data.DataActivitiesImpl;
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
import io.ferry.activities.files.LocalWorkerFiles;
import io.ferry.activities.host.HostActivitiesImpl;
import io.ferry.activities.http.JdkHttp;
import io.ferry.activities.platform.AppPlatformActivitiesImpl;
import io.ferry.activities.platform.ManagedDatabaseActivitiesImpl;
import io.ferry.activities.platform.RegistryActivitiesImpl;
import io.ferry.activities.postgres.PgbenchOverSsh;
import io.ferry.activities.postgres.PostgresJdbc;
import io.ferry.activities.probe.ProbeActivitiesImpl;
import io.ferry.activities.redis.RedisMemoryStore;
import io.ferry.activities.ssh.SshHosts;
import io.ferry.activities.ssh.SshSessions;
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
   */
  record Settings(
      SecretRef digitalOceanToken, URI digitalOceanApi, Path backupRoot, Path redisCaFile) {}

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
    SshHosts hosts = new SshHosts(ssh);
    PostgresJdbc postgres = new PostgresJdbc(secrets);
    WeaviateRest weaviate = new WeaviateRest(secrets);
    RedisMemoryStore memory = new RedisMemoryStore(secrets, settings.redisCaFile());
    MiniLmEmbedder embedder = new MiniLmEmbedder();
    return new RealFleet(
        List.of(
            new CloudActivitiesImpl(
                new DigitalOceanCompute(library, api, Polling.REAL, Heartbeat.activity()),
                new DigitalOceanDns(library),
                secrets,
                Polling.REAL),
            new HostActivitiesImpl(hosts, secrets),
            new DataActivitiesImpl(
                postgres, weaviate, memory, embedder, new FileBackupStore(settings.backupRoot())),
            new ProbeActivitiesImpl(
                weaviate, new JdkHttp(), new PgbenchOverSsh(ssh, secrets), embedder, Polling.REAL),
            new AppPlatformActivitiesImpl(
                new DigitalOceanApps(api), hosts, new LocalWorkerFiles(), secrets, Polling.REAL),
            new RegistryActivitiesImpl(new DigitalOceanRegistry(api), hosts, secrets),
            new ManagedDatabaseActivitiesImpl(
                postgres,
                memory,
                new DigitalOceanDatabases(api),
                hosts,
                secrets,
                Clock.systemUTC())),
        ssh);
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
