/**
 * One simulated world per roadmap: what its plans expect to find, and the knobs a rehearsal may
 * turn. {@link io.ferry.activities.sim.seeds.SimSeeds} lists them; a new roadmap adds a line there.
 */
package io.ferry.activities.sim.seeds;
