package io.ferry.activities;

import io.ferry.activities.cloud.CloudActivitiesImpl;
import io.ferry.activities.cluster.ClusterPorts;
import io.ferry.activities.cluster.K3sActivitiesImpl;
import io.ferry.activities.data.DataActivitiesImpl;
import io.ferry.activities.edge.EdgeActivitiesImpl;
import io.ferry.activities.host.CronActivitiesImpl;
import io.ferry.activities.host.HostActivitiesImpl;
import io.ferry.activities.node.NodeActivitiesImpl;
import io.ferry.activities.node.ReplicationActivitiesImpl;
import io.ferry.activities.platform.AppPlatformActivitiesImpl;
import io.ferry.activities.platform.ManagedDatabaseActivitiesImpl;
import io.ferry.activities.platform.RegistryActivitiesImpl;
import io.ferry.activities.probe.ProbeActivitiesImpl;
import io.ferry.activities.probe.PublicRequests;
import io.ferry.activities.probe.TrafficActivitiesImpl;
import io.ferry.activities.transition.BackupStoreActivitiesImpl;
import io.ferry.activities.transition.TransitionActivitiesImpl;
import java.util.List;

/**
 * Every activity implementation, each given the ports it uses: the one place a new activity
 * interface is wired, for the simulated and the real fleet alike.
 */
public final class ActivityAssembly {

  private ActivityAssembly() {}

  public static List<Object> activities(Ports p) {
    return List.of(
        new CloudActivitiesImpl(p.compute(), p.dns(), p.secrets(), p.polling()),
        new HostActivitiesImpl(p.hostFiles(), p.services(), p.compose(), p.hostLogs(), p.secrets()),
        new DataActivitiesImpl(
            p.postgres(), p.weaviate(), p.memoryStore(), p.embedder(), p.backups()),
        new ProbeActivitiesImpl(p.weaviate(), p.http(), p.benchmark(), p.embedder(), p.polling()),
        new AppPlatformActivitiesImpl(
            p.appPlatform(), p.containers(), p.workerFiles(), p.secrets(), p.polling()),
        new RegistryActivitiesImpl(p.registry(), p.containers(), p.secrets()),
        new K3sActivitiesImpl(
            new ClusterPorts(
                p.k3sNodes(),
                p.deployRepository(),
                p.swarm(),
                p.kubernetes(),
                p.helm(),
                p.clusterSecrets(),
                p.http()),
            p.workerFiles(),
            p.secrets(),
            p.polling()),
        new TransitionActivitiesImpl(
            p.compute(),
            p.hostFiles(),
            p.fileTrees(),
            p.systemd(),
            p.docker(),
            p.pythonEnvs(),
            p.psql(),
            p.http(),
            p.objectStore(),
            p.nodeMetrics(),
            p.weaviate(),
            p.crontab(),
            p.secrets(),
            p.polling()),
        new BackupStoreActivitiesImpl(p.fileTrees(), p.objectStore(), p.pgDump(), p.secrets()),
        new ManagedDatabaseActivitiesImpl(
            p.postgres(),
            p.memoryStore(),
            p.managedDatabases(),
            p.pgDump(),
            p.secrets(),
            p.clock()),
        new CronActivitiesImpl(p.crontab()),
        new EdgeActivitiesImpl(p.edge(), p.hostFiles(), new PublicRequests(p.http(), p.polling())),
        new TrafficActivitiesImpl(p.http(), p.replication(), p.polling()),
        new NodeActivitiesImpl(p.http(), p.nodeHost(), p.hostFiles(), p.compose(), p.secrets()),
        new ReplicationActivitiesImpl(p.replication(), p.standbys()));
  }
}
