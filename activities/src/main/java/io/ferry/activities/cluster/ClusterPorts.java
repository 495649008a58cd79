package io.ferry.activities.cluster;

import io.ferry.activities.port.ClusterSecretsPort;
import io.ferry.activities.port.DeployRepositoryPort;
import io.ferry.activities.port.HelmPort;
import io.ferry.activities.port.HttpPort;
import io.ferry.activities.port.K3sNodesPort;
import io.ferry.activities.port.KubernetesPort;
import io.ferry.activities.port.SwarmPort;

/**
 * The ports the Swarm-to-K3s activities use, taken from the fleet's {@link
 * io.ferry.activities.Ports} so each concern's class reaches them by name.
 *
 * @param probes HTTP for the services' health checks
 */
public record ClusterPorts(
    K3sNodesPort nodes,
    DeployRepositoryPort repository,
    SwarmPort swarm,
    KubernetesPort kubernetes,
    HelmPort helm,
    ClusterSecretsPort secretStore,
    HttpPort probes) {}
