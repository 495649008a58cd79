package io.ferry.activities;

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
import java.time.Clock;

/**
 * Every port a fleet provides, with what activities need beside them: how secrets resolve, how they
 * poll, their clock. A fleet builds one of these; {@link ActivityAssembly} does the rest.
 */
public record Ports(
    ComputePort compute,
    DnsPort dns,
    HostFilesPort hostFiles,
    ServicesPort services,
    ComposePort compose,
    ContainersPort containers,
    HostLogsPort hostLogs,
    PgDumpPort pgDump,
    PostgresPort postgres,
    BenchmarkPort benchmark,
    WeaviatePort weaviate,
    MemoryStorePort memoryStore,
    EmbedderPort embedder,
    BackupStorePort backups,
    HttpPort http,
    AppPlatformPort appPlatform,
    ContainerRegistryPort registry,
    ManagedDatabasePort managedDatabases,
    WorkerFilesPort workerFiles,
    K3sNodesPort k3sNodes,
    DeployRepositoryPort deployRepository,
    SwarmPort swarm,
    KubernetesPort kubernetes,
    HelmPort helm,
    ClusterSecretsPort clusterSecrets,
    FileTreePort fileTrees,
    SystemdPort systemd,
    DockerPort docker,
    PythonEnvPort pythonEnvs,
    PsqlPort psql,
    ObjectStorePort objectStore,
    NodeMetricsPort nodeMetrics,
    CrontabPort crontab,
    EdgeProxyPort edge,
    ReplicationPort replication,
    NodeHostPort nodeHost,
    StandbyPort standbys,
    SecretResolver secrets,
    Polling polling,
    Clock clock) {}
