/**
 * The Kubernetes API through fabric8: the cluster's nodes, manifests applied and deleted, and the
 * rollout state of a Helm release's workloads.
 */
package io.ferry.activities.kubernetes;
