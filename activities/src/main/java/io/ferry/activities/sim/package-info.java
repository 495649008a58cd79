/**
 * The simulated fleet: in-memory adapters for every port over one {@link
 * io.ferry.activities.sim.Ledger} of resources, with realistic progressions and fault injection.
 */
package io.ferry.activities.sim;
