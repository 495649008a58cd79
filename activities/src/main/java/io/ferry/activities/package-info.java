/**
 * What every fleet shares: the {@link io.ferry.activities.Fleet} contract, the one assembly of
 * activities over a fleet's {@link io.ferry.activities.Ports} ({@link
 * io.ferry.activities.ActivityAssembly}), step attribution ({@link
 * io.ferry.activities.ActivityStep}), secret resolution, typed failures and polling. Sub-packages
 * hold the ports, the activity implementations per system, and the simulated adapters.
 */
package io.ferry.activities;
