/**
 * The standard-node roadmap (seed 004): a standard node beside the old stack, streaming replicas of
 * the existing PostgreSQL, an nginx edge and a gradual traffic shift; nothing old stops before.
 */
package io.ferry.roadmap.standardnode;
