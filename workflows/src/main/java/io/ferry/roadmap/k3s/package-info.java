/**
 * The k3s roadmap (seed 003): Docker Swarm to a K3s cluster with Helm releases and a weighted,
 * analysed traffic shift at the edge. Its plan, step table, workflow and the shift it runs.
 */
package io.ferry.roadmap.k3s;
