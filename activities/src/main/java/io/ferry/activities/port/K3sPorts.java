package io.ferry.activities.port;

/**
 * The ports the Swarm-to-K3s roadmap's activities use, grouped so a fleet adds them in one line.
 *
 * @param probes HTTP for the shift's analysis and the services' health checks
 * @param probePause the wait between an analysis window's probe rounds
 */
public record K3sPorts(
    K3sNodesPort nodes,
    DeployRepositoryPort repository,
    SwarmPort swarm,
    KubernetesPort kubernetes,
    HelmPort helm,
    WeightedEdgePort edge,
    ClusterSecretsPort secretStore,
    HttpPort probes,
    ProbePause probePause) {}
