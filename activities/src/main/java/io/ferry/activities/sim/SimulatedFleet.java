package io.ferry.activities.sim;

import io.ferry.activities.ActivityAssembly;
import io.ferry.activities.Fleet;
import io.ferry.activities.LivenessHeartbeats;
import io.ferry.activities.Polling;
import io.ferry.activities.Ports;
import io.ferry.activities.SecretResolver;
import io.ferry.activities.StepScopeInterceptor;
import io.ferry.activities.port.AppPlatformPort;
import io.ferry.activities.port.BackupStorePort;
import io.ferry.activities.port.BenchmarkPort;
import io.ferry.activities.port.ClusterSecretsPort;
import io.ferry.activities.port.ComposePort;
import io.ferry.activities.port.ComputePort;
import io.ferry.activities.port.ContainerRegistryPort;
import io.ferry.activities.port.ContainersPort;
import io.ferry.activities.port.CrontabPort;
import io.ferry.activities.port.DeployRepositoryPort;
import io.ferry.activities.port.DnsPort;
import io.ferry.activities.port.DockerPort;
import io.ferry.activities.port.EdgeProxyPort;
import io.ferry.activities.port.EmbedderPort;
import io.ferry.activities.port.FileTreePort;
import io.ferry.activities.port.HelmPort;
import io.ferry.activities.port.HostFilesPort;
import io.ferry.activities.port.HostLogsPort;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.K3sNodesPort;
import io.ferry.activities.port.KubernetesPort;
import io.ferry.activities.port.ManagedDatabasePort;
import io.ferry.activities.port.MemoryStorePort;
import io.ferry.activities.port.NodeHostPort;
import io.ferry.activities.port.NodeMetricsPort;
import io.ferry.activities.port.ObjectStorePort;
import io.ferry.activities.port.PgDumpPort;
import io.ferry.activities.port.PostgresPort;
import io.ferry.activities.port.PsqlPort;
import io.ferry.activities.port.PythonEnvPort;
import io.ferry.activities.port.ReplicationPort;
import io.ferry.activities.port.ServicesPort;
import io.ferry.activities.port.StandbyPort;
import io.ferry.activities.port.SwarmPort;
import io.ferry.activities.port.SystemdPort;
import io.ferry.activities.port.WeaviatePort;
import io.ferry.activities.port.WorkerFilesPort;
import io.ferry.activities.sim.seeds.SimSeeds;
import io.ferry.plan.Plan;
import io.temporal.common.interceptors.WorkerInterceptor;
import java.time.Duration;
import java.util.List;

/**
 * The activities wired to simulated adapters over one {@link Ledger}: what {@code ferry rehearse}
 * and {@code ferry dev} run on. Deterministic (ids from counters, fixed measurements); secrets
 * resolve to stand-ins; the {@link FaultPlan} injects failures by step.
 */
public final class SimulatedFleet implements Fleet {

  private final SimWorld world = new SimWorld();
  private final FaultInjector faults;
  private final List<Object> activities;
  private final PortJournal journal;

  public SimulatedFleet() {
    this(FaultPlan.none());
  }

  public SimulatedFleet(FaultPlan faults) {
    this(faults, SecretResolver.standIns());
  }

  /** With {@code secrets} resolving the plan's references (a leak check gives real values). */
  public SimulatedFleet(FaultPlan faults, SecretResolver secrets) {
    this(faults, secrets, null);
  }

  /**
   * A fleet whose world outlives the process: every port call goes to {@code journal}; call {@link
   * #resume} after seeding to replay what earlier processes did.
   */
  public SimulatedFleet(FaultPlan faults, SecretResolver secrets, PortJournal journal) {
    this.faults = new FaultInjector(faults == null ? FaultPlan.none() : faults);
    this.journal = journal;
    this.activities =
        ActivityAssembly.activities(
            new Ports(
                port(ComputePort.class, world.compute),
                port(DnsPort.class, world.dns),
                port(HostFilesPort.class, world.hostFiles),
                port(ServicesPort.class, world.services),
                port(ComposePort.class, world.compose),
                port(ContainersPort.class, world.containers),
                port(HostLogsPort.class, world.hostLogs),
                port(PgDumpPort.class, world.pgDumps),
                port(PostgresPort.class, world.postgres),
                port(BenchmarkPort.class, world.postgres),
                port(WeaviatePort.class, world.weaviate),
                port(MemoryStorePort.class, world.memory),
                port(EmbedderPort.class, world.embedder),
                port(BackupStorePort.class, world.backups),
                port(HttpPort.class, world.k3sWorld.probes),
                port(AppPlatformPort.class, world.apps),
                port(ContainerRegistryPort.class, world.registry),
                port(ManagedDatabasePort.class, world.clusters),
                port(WorkerFilesPort.class, world.workerFiles),
                port(K3sNodesPort.class, world.k3sWorld.cluster),
                port(DeployRepositoryPort.class, world.k3sWorld.repositories),
                port(SwarmPort.class, world.k3sWorld.repositories),
                port(KubernetesPort.class, world.k3sWorld.cluster),
                port(HelmPort.class, world.k3sWorld.helm),
                port(ClusterSecretsPort.class, world.k3sWorld.secrets),
                port(FileTreePort.class, world.fileTrees),
                port(SystemdPort.class, world.systemd),
                port(DockerPort.class, world.docker),
                port(PythonEnvPort.class, world.pythonEnvs),
                port(PsqlPort.class, world.psql),
                port(ObjectStorePort.class, world.objectStore),
                port(NodeMetricsPort.class, world.nodeMetrics),
                port(CrontabPort.class, world.crontab),
                port(EdgeProxyPort.class, world.edge),
                port(ReplicationPort.class, world.replication),
                port(NodeHostPort.class, world.nodeHost),
                port(StandbyPort.class, world.standbys),
                secrets,
                Polling.SIMULATED,
                java.time.Clock.systemUTC()));
  }

  /** The port as activities see it: journaled when the fleet has a journal. */
  private <T> T port(Class<T> type, T adapter) {
    return journal == null ? adapter : journal.wrap(type, adapter);
  }

  /** Replays the journal onto the seeded world; returns the number of port calls replayed. */
  public int resume() {
    return journal == null ? 0 : journal.replay();
  }

  @Override
  public String name() {
    return "simulated";
  }

  @Override
  public List<Object> activityImplementations() {
    return activities;
  }

  @Override
  public List<WorkerInterceptor> interceptors() {
    return List.of(new StepScopeInterceptor(), new LivenessHeartbeats(), faults);
  }

  public Ledger ledger() {
    return world.ledger;
  }

  /**
   * The simulated PostgreSQL port, for a fleet of real adapters where no PostgreSQL server can
   * stand in (a managed cluster's TLS-only connection).
   */
  public PostgresPort postgresPort() {
    return port(PostgresPort.class, world.postgres);
  }

  /** The simulated HTTP port, for a fleet of real adapters probing URLs no test can serve. */
  public HttpPort httpPort() {
    return port(HttpPort.class, world.http);
  }

  /**
   * Creates the world the plan refers to and expects to find (the app node with its config file and
   * service, the PostgreSQL server, the memory store, the DNS records). Idempotent; hosts, URLs and
   * domains the plan does not name are created on first touch all the same.
   */
  public void seed(Plan plan) {
    seed(plan, SimSeeds.require(plan.roadmap()));
  }

  /** Seeds with a seed that is not in {@link SimSeeds}: a roadmap declared only in tests. */
  public void seed(Plan plan, SimSeed<?> seed) {
    seed.seedPlan(world, plan);
  }

  /**
   * Turns one of the plan's roadmap's {@link SimSeed#knobs()} to {@code value}, after seeding; an
   * unknown knob or a bad value is an IllegalArgumentException that says which and what is valid.
   */
  public void turn(Plan plan, String knob, String value) {
    SimSeeds.require(plan.roadmap()).turn(world, plan, knob, value);
  }

  /** Makes GETs of URLs starting with {@code urlPrefix} take {@code p95}. */
  public void setLatency(String urlPrefix, Duration p95) {
    world.http.setLatency(urlPrefix, p95);
  }

  /** Makes GETs of URLs starting with {@code urlPrefix} answer with {@code status}. */
  public void setStatus(String urlPrefix, int status) {
    world.http.setStatus(urlPrefix, status);
  }

  /** An operator edits a file on the worker (such as the app spec a plan names). */
  public void putWorkerFile(String path, String text) {
    world.workerFiles.replace(path, text);
  }

  /** The application writes a string to the old store, as it may until the switch. */
  public void appWrites(io.ferry.plan.MemoryStoreTarget store, String key, String value) {
    world.memory.write(
        store, key, new io.ferry.activities.port.MemoryStorePort.StoredValue.Text(value));
  }
}
