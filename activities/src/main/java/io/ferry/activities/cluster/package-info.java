/**
 * Activities that act on a Kubernetes cluster and what moves into it: K3s nodes, Helm releases, the
 * deployment repository, the Swarm stacks and the edge's weighted shift.
 */
package io.ferry.activities.cluster;
