package io.ferry.activities.port;

/**
 * The ports the Swarm-to-K3s roadmap's activities use, grouped so a fleet adds them in one line.
 *
 * @param probes HTTP for the services' health checks
 */
public record K3sPorts(
    K3sNodesPort nodes,
    DeployRepositoryPort repository,
    SwarmPort swarm,
    KubernetesPort kubernetes,
    HelmPort helm,
    ClusterSecretsPort secretStore,
    HttpPort probes) {}
